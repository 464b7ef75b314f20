/// Fake credentials of each known format, assembled from pieces so no whole token appears in the source (secret
/// scanners and push protection stay quiet). Random bodies; none of them was ever a real credential.
enum Fake {
    static let awsAccessKeyID = "AK" + "IA" + "UJZDE8GXD6NCF10E"
    static let awsSessionKeyID = "AS" + "IA" + "UJZDE8GXD6NCF10E"
    static let awsSecretKey = "El2hpChYgCfrL1spNxny" + "VmihA+2O76UMFxFkM+R5"
    static let pulumiToken = "pul" + "-" + "923d5a4fd12aabfe228f" + "219e9cb0eb53f16947cc"
    static let githubPAT = "gh" + "p_" + "63FfkCzJr4i0B3JrTAwR" + "4y9ojfljoQoaF1Ll"
    static let githubApp = "gh" + "s_" + "63FfkCzJr4i0B3JrTAwR" + "4y9ojfljoQoaF1Ll"
    static let githubFineGrained = "github" + "_pat_" + "qsajAIxNKu8iS2G8NPRVdD53X83RZJzzzzgEOzdmen"
        + "CkhvMdgaKjIg8xNbe3nNyjOq9wMxEhh2F_DEEtfj"
    static let gitlabPAT = "gl" + "pat-" + "nRH9ucAUsdMlHUvTCQCy"
    static let slackBot = "xo" + "xb-" + "1234567890123-1234567890123-" + "Zp0zVZomHFwUbbYrEqmSM9wC"
    static let stripeLive = "sk" + "_live_" + "Z7Uw9xfogoEmvnEN5N1aE6Pw"
    static let stripeRestricted = "rk" + "_live_" + "Z7Uw9xfogoEmvnEN5N1aE6Pw"
    static let googleAPIKey = "AI" + "za" + "kpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBL"
    static let rsaPrivateKey = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7Zq\n-----END RSA " + "PRIVATE KEY-----\n"
    static let opensshPrivateKey = "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH " + "PRIVATE KEY-----"
    static let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let azureConnectionString = "DefaultEndpointsProtocol=https;AccountName=shopdata;Account" + "Key="
        + "gD3DllNCi2vVIQ/ovVrldamV0OeEa9Pq4IAhiCaGggTfcMYumwHGzCYsJHmeuR6OD1OuhIeOe8jGG+KPDj8wRg==" + ";EndpointSuffix=core.windows.net"
    static let gcpServiceAccount = #"{"type": "service_"# + #"account", "project_id": "shop", "private_key_id": "1a2b", "# + #""private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "client_email": "ci@shop.iam.gserviceaccount.com"}"#
    static let databaseURL = "postgres://shop:" + "cXgGCJbW56eCuN" + "@db.internal:5432/shop"
    static let mongoURL = "mongodb+srv://admin:" + "Zebra-Lamp-77" + "@cluster0.mongodb.net/app"
}
