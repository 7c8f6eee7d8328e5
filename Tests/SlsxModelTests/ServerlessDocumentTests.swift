import Testing

@testable import SlsxModel

struct ServerlessDocumentTests {
    @Test func insertsProviderNameFirst() throws {
        let document = try JSONReader.read(#"{"service": "s", "provider": {"runtime": "nodejs20.x"}, "custom": {"x": 1}}"#)
        let node = ServerlessDocument.node(for: Service(document: document))
        #expect(try JSONWriter(style: .compact).write(node)
            == #"{"service":"s","provider":{"name":"aws","runtime":"nodejs20.x"},"custom":{"x":1}}"#)
    }

    @Test func insertsProviderAfterService() throws {
        let document = try JSONReader.read(#"{"functions": {}, "service": "s"}"#)
        let node = ServerlessDocument.node(for: Service(document: document))
        #expect(try JSONWriter(style: .compact).write(node) == #"{"functions":{},"service":"s","provider":{"name":"aws"}}"#)
    }

    @Test func keepsAnExistingName() throws {
        let document = try JSONReader.read(#"{"service": "s", "provider": {"stage": "dev", "name": "aws"}}"#)
        let node = ServerlessDocument.node(for: Service(document: document))
        #expect(node == document)
    }
}
