import _CryptoExtras
import Foundation
import RampartJSON

/// The signed JWT a service account presents to Google's token endpoint (OAuth 2.0 JWT bearer grant, RFC 7523):
/// RS256 — RSASSA-PKCS1-v1_5 over SHA-256 — with the key file's private key.
enum ServiceAccountJWT {
    /// How long the assertion is valid; Google accepts at most an hour.
    static let lifetime: TimeInterval = 3600

    /// `header.claims.signature`, each part base64url without padding.
    static func assertion(for key: GoogleCredentials.ServiceAccountKey, scope: String, issuedAt: Date,
                          location: String) throws(RemoteError) -> String {
        let privateKey: _RSA.Signing.PrivateKey
        do { privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: key.privateKeyPEM) } catch {
            throw .noCredentials(location: location, hint: "the service account key of \(key.clientEmail) holds no usable RSA private key (PEM, 2048 bits or more)")
        }
        let signingInput = signingInput(for: key, scope: scope, issuedAt: issuedAt)
        do {
            let signature = try privateKey.signature(for: Array(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return signingInput + "." + base64URL(Array(signature.rawRepresentation))
        } catch {
            throw .noCredentials(location: location, hint: "signing the token request for \(key.clientEmail) failed")
        }
    }

    /// `base64url(header) + "." + base64url(claims)`: what the signature covers.
    static func signingInput(for key: GoogleCredentials.ServiceAccountKey, scope: String, issuedAt: Date) -> String {
        let iat = Int(issuedAt.timeIntervalSince1970)
        var header = JSONWriter()
        header.beginObject()
        header.key("alg"); header.string("RS256")
        header.key("typ"); header.string("JWT")
        if let id = key.privateKeyID { header.key("kid"); header.string(id) }
        header.endObject()
        var claims = JSONWriter()
        claims.beginObject()
        claims.key("iss"); claims.string(key.clientEmail)
        claims.key("scope"); claims.string(scope)
        claims.key("aud"); claims.string(key.tokenURI)
        claims.key("iat"); claims.number(iat)
        claims.key("exp"); claims.number(iat + Int(lifetime))
        claims.endObject()
        return base64URL(header.bytes) + "." + base64URL(claims.bytes)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}

/// Percent-encoding of one URL component or form field: everything but RFC 3986's unreserved characters, so `/` in
/// an object name becomes `%2F` as the GCS JSON API requires, and SigV4 signs exactly what is sent.
enum URLComponentEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
