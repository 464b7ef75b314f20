import _CryptoExtras
import Foundation
import RampartJSON
import Testing
@testable import RampartRemote

@Suite("Service-account JWT")
struct ServiceAccountJWTTests {
    private static func decode(_ part: Substring) throws -> JSONNode {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        let data = try #require(Data(base64Encoded: text))
        return try JSONDocument.parse(Array(data)).root
    }

    @Test("the assertion is RS256 over header and claims, verifiable with the key's public half")
    func signsWithTheServiceAccountKey() throws {
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let key = GoogleCredentials.ServiceAccountKey(clientEmail: "scanner@p.iam.gserviceaccount.com",
                                                      privateKeyPEM: privateKey.pkcs8PEMRepresentation,
                                                      privateKeyID: "kid-1", tokenURI: "https://oauth2.googleapis.com/token")
        let issued = Date(timeIntervalSince1970: 1_800_000_000)
        let jwt = try ServiceAccountJWT.assertion(for: key, scope: GoogleCredentials.scope, issuedAt: issued, location: "gs://b")
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        #expect(!jwt.contains("=") && !jwt.contains("+") && !jwt.contains("/"))

        let header = try Self.decode(parts[0])
        #expect(header["alg"]?.string == "RS256")
        #expect(header["typ"]?.string == "JWT")
        #expect(header["kid"]?.string == "kid-1")
        let claims = try Self.decode(parts[1])
        #expect(claims["iss"]?.string == "scanner@p.iam.gserviceaccount.com")
        #expect(claims["aud"]?.string == "https://oauth2.googleapis.com/token")
        #expect(claims["scope"]?.string == "https://www.googleapis.com/auth/devstorage.read_only")
        #expect(claims["iat"]?.int == 1_800_000_000)
        #expect(claims["exp"]?.int == 1_800_003_600)

        var signatureText = String(parts[2]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while signatureText.count % 4 != 0 { signatureText += "=" }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Data(base64Encoded: signatureText)))
        let signed = Array((parts[0] + "." + parts[1]).utf8)
        #expect(privateKey.publicKey.isValidSignature(signature, for: signed, padding: .insecurePKCS1v1_5))
        // PKCS#1 v1.5 is deterministic: the same input signs the same, and another key does not verify it.
        let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        #expect(!other.publicKey.isValidSignature(signature, for: signed, padding: .insecurePKCS1v1_5))
    }

    @Test("a key file whose private key is not a usable RSA key gives an error that does not quote it")
    func rejectsAnUnusableKeyWithoutQuotingIt() {
        let secret = "-----BEGIN PRIVATE KEY-----\nRAMPART-FAKE-SECRET-7f3a9c\n-----END PRIVATE KEY-----\n"
        let key = GoogleCredentials.ServiceAccountKey(clientEmail: "a@b.iam.gserviceaccount.com", privateKeyPEM: secret,
                                                      privateKeyID: nil, tokenURI: GoogleCredentials.defaultTokenURI)
        do {
            _ = try ServiceAccountJWT.assertion(for: key, scope: GoogleCredentials.scope, issuedAt: Date(), location: "gs://b")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("a@b.iam.gserviceaccount.com"))
            #expect(!error.description.contains("RAMPART-FAKE-SECRET"))
        }
    }
}

@Suite("Google credentials discovery")
struct GoogleCredentialsTests {
    private func environment(_ variables: [String: String], home: String = "/nonexistent-home") -> RemoteEnvironment {
        RemoteEnvironment(variables: variables, homeDirectory: home)
    }

    @Test("STORAGE_EMULATOR_HOST is the API base, http:// when it names no scheme, and needs no credentials")
    func emulatorHost() throws {
        let plain = try GoogleCredentials.resolve(environment(["STORAGE_EMULATOR_HOST": "127.0.0.1:9023"]), location: "gs://b")
        #expect(plain.apiBase == "http://127.0.0.1:9023")
        guard case .emulator = plain.credentials else { Issue.record("expected the emulator"); return }
        let schemed = try GoogleCredentials.resolve(environment(["STORAGE_EMULATOR_HOST": "https://gcs.local:4443/",
                                                                 "GOOGLE_APPLICATION_CREDENTIALS": "/missing.json"]), location: "gs://b")
        #expect(schemed.apiBase == "https://gcs.local:4443")
    }

    @Test("GOOGLE_APPLICATION_CREDENTIALS names a service_account or authorized_user key file")
    func keyFiles() throws {
        let dir = try GCSTestTools.scratch("keys")
        let pem = try _RSA.Signing.PrivateKey(keySize: .bits2048).pkcs8PEMRepresentation
        let service = try GCSTestTools.serviceAccountKeyFile(pem: pem, tokenURI: "http://127.0.0.1:1/token", in: dir)
        let resolved = try GoogleCredentials.resolve(environment(["GOOGLE_APPLICATION_CREDENTIALS": service]), location: "gs://b")
        #expect(resolved.apiBase == "https://storage.googleapis.com")
        guard case .serviceAccount(let key) = resolved.credentials else { Issue.record("expected a service account"); return }
        #expect(key.clientEmail == "scanner@rampart-test.iam.gserviceaccount.com")
        #expect(key.tokenURI == "http://127.0.0.1:1/token")
        #expect(key.privateKeyID == "0123456789abcdef")

        let user = dir + "/user.json"
        try Data(#"{"type":"authorized_user","client_id":"id.apps.googleusercontent.com","client_secret":"s","refresh_token":"r"}"#.utf8)
            .write(to: URL(fileURLWithPath: user))
        // gcloud's well-known file is found through CLOUDSDK_CONFIG when the variable is unset.
        try FileManager.default.createDirectory(atPath: dir + "/gcloud", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: user, toPath: dir + "/gcloud/application_default_credentials.json")
        for env in [["GOOGLE_APPLICATION_CREDENTIALS": user], ["CLOUDSDK_CONFIG": dir + "/gcloud"]] {
            guard case .authorizedUser(let login) = try GoogleCredentials.resolve(environment(env), location: "gs://b").credentials else {
                Issue.record("expected an authorized_user login for \(env)"); continue
            }
            #expect(login.clientID == "id.apps.googleusercontent.com")
            #expect(login.tokenURI == GoogleCredentials.defaultTokenURI)
        }
    }

    @Test("a bad key file names the file and what is wrong, never a value from it")
    func badKeyFiles() throws {
        let dir = try GCSTestTools.scratch("badkeys")
        let cases: [(String, String)] = [
            ("notjson.json", "RAMPART-FAKE-SECRET-1 {"),
            ("type.json", #"{"type":"impersonated_service_account","private_key":"RAMPART-FAKE-SECRET-2"}"#),
            ("source.json", #"{"type":"external_account","audience":"a","subject_token_type":"t","credential_source":{"executable":{"command":"RAMPART-FAKE-SECRET-4"}}}"#),
            ("field.json", #"{"type":"service_account","private_key":"RAMPART-FAKE-SECRET-3"}"#),
        ]
        for (name, content) in cases {
            let path = dir + "/" + name
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try GoogleCredentials.resolve(environment(["GOOGLE_APPLICATION_CREDENTIALS": path]), location: "gs://b")
                Issue.record("expected an error for \(name)")
            } catch {
                guard case .noCredentials = error else { Issue.record("expected noCredentials, got \(error)"); continue }
                #expect(error.description.contains(path))
                #expect(!error.description.contains("RAMPART-FAKE-SECRET"))
            }
        }
        #expect(throws: RemoteError.self) {
            try GoogleCredentials.resolve(environment(["GOOGLE_APPLICATION_CREDENTIALS": dir + "/absent.json"]), location: "gs://b")
        }
    }

    @Test("without a key the metadata server is asked, GCE_METADATA_HOST overriding metadata.google.internal")
    func metadataServerLast() throws {
        guard case .metadataServer(let host) = try GoogleCredentials.resolve(environment([:]), location: "gs://b").credentials else {
            Issue.record("expected the metadata server"); return
        }
        #expect(host == "metadata.google.internal")
        guard case .metadataServer(let overridden) = try GoogleCredentials.resolve(environment(["GCE_METADATA_HOST": "169.254.169.254:8080"]),
                                                                                   location: "gs://b").credentials else {
            Issue.record("expected the metadata server"); return
        }
        #expect(overridden == "169.254.169.254:8080")
    }

    @Test("gcloud's storage endpoint override moves the API base, with or without /storage/v1/")
    func endpointOverride() throws {
        for value in ["https://storage-psc.p.googleapis.com/storage/v1/", "https://storage-psc.p.googleapis.com"] {
            let resolved = try GoogleCredentials.resolve(environment(["CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE": value]), location: "gs://b")
            #expect(resolved.apiBase == "https://storage-psc.p.googleapis.com")
        }
    }
}

@Suite("GCS requests")
struct GCSRequestTests {
    @Test("update times parse with milliseconds (the API), microseconds (emulators) or none")
    func parsesUpdateTimes() {
        let expected = Date(timeIntervalSince1970: 1_796_230_330)
        for text in ["2026-12-02T16:52:10Z", "2026-12-02T16:52:10.000Z", "2026-12-02T16:52:10.000000Z"] {
            #expect(GCSStore.date(text) == expected, "\(text)")
        }
        #expect(GCSStore.date("2026-12-02T16:52:10.250Z")?.timeIntervalSince(expected) == 0.25)
        #expect(GCSStore.date("yesterday") == nil)
    }

    @Test("object names are escaped whole, slashes included; unreserved characters stay")
    func escapesObjectNames() {
        #expect(URLComponentEncoding.escape("team/.pulumi/stacks/web/dev.json") == "team%2F.pulumi%2Fstacks%2Fweb%2Fdev.json")
        #expect(URLComponentEncoding.escape("a b+c?d#e%~_-") == "a%20b%2Bc%3Fd%23e%25~_-")
    }
}
