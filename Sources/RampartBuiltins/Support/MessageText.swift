import RampartPolicy

/// Small wording helpers shared by policy messages.
enum MessageText {
    /// `1 day`, `2 days`, `0 days`: a count with its noun in the right number.
    static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))"
    }

    /// How a message names an EC2 machine definition: launch configurations and templates are not instances.
    static func ec2Subject(_ resource: ResourceContext) -> String {
        switch resource.type {
        case "aws:ec2/launchConfiguration:LaunchConfiguration": return "Launch configuration \(resource.name)"
        case "aws:ec2/launchTemplate:LaunchTemplate": return "Launch template \(resource.name)"
        default: return "EC2 instance"
        }
    }
}
