/// Builds the document that the serverless.yml and JSON outputs write for a `Service`.
///
/// The document is `service.document`, the tree the script built, with one normalisation, because
/// the framework requires `provider.name`. When `provider` has no `name`, `name: aws` is inserted as
/// its first key. When `provider` itself is missing, `provider: {name: aws}` is inserted after
/// `service` (or first, without `service`). Nothing is reordered and no other default is added.
public enum ServerlessDocument {
    /// Returns the document to write for `service`.
    public static func node(for service: Service) -> Node {
        var document = service.document
        guard case .mapping(var entries) = document.kind else { return document }

        let providerName = Node.Entry("name", .string("aws"))
        if let index = entries.firstIndex(where: { $0.key == "provider" }) {
            var provider = entries[index].value
            if case .mapping(var providerEntries) = provider.kind,
               !providerEntries.contains(where: { $0.key == "name" }) {
                providerEntries.insert(providerName, at: 0)
                provider.kind = .mapping(providerEntries)
                entries[index].value = provider
            }
        } else {
            let position = entries.firstIndex(where: { $0.key == "service" }).map { $0 + 1 } ?? 0
            entries.insert(Node.Entry("provider", .mapping([providerName])), at: position)
        }

        document.kind = .mapping(entries)
        return document
    }
}
