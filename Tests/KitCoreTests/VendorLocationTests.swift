import KitCore
import Testing

/// Source URIs of vendor manifests, and the removal of credentials from URLs shown to people.
@Suite("vendor locations")
struct VendorLocationTests {
    @Test("git forms, archives, files, local paths, S3 and OCI", arguments: [
        ("git::https://github.com/org/repo.git//modules/vpc?ref=v1.2.3", VendorLocation.git(repository: "https://github.com/org/repo.git", ref: "v1.2.3", subdirectory: "modules/vpc")),
        ("github.com/org/repo.git//modules/vpc?ref=main", .git(repository: "https://github.com/org/repo.git", ref: "main", subdirectory: "modules/vpc")),
        ("git::file:///srv/lib//a/b?ref=abc123", .git(repository: "file:///srv/lib", ref: "abc123", subdirectory: "a/b")),
        ("https://example.com/x/pkg.tar.gz//pkg", .archive(url: "https://example.com/x/pkg.tar.gz", kind: .tarGzip, subdirectory: "pkg")),
        ("https://example.com/dl?id=1&archive=zip", .archive(url: "https://example.com/dl?id=1", kind: .zip, subdirectory: "")),
        ("https://example.com/providers.tf", .httpFile(url: "https://example.com/providers.tf")),
        ("../lib/vpc", .local(path: "/repo/lib/vpc")),
        ("file:///../lib", .local(path: "/repo/lib")),
        ("s3::https://s3.amazonaws.com/b/k", .s3("s3::https://s3.amazonaws.com/b/k")),
        ("oci://ghcr.io/org/x:1", .oci("oci://ghcr.io/org/x:1")),
    ])
    func parse(_ uri: String, _ expected: VendorLocation) {
        #expect(VendorLocation.parse(uri, baseDirectory: "/repo/vendor") == expected)
    }

    @Test("userinfo is removed wherever a URL appears")
    func redaction() {
        #expect(URLRedaction.redact("fatal: unable to access 'https://user:tok@host/x.git/': refused") == "fatal: unable to access 'https://***@host/x.git/': refused")
        #expect(URLRedaction.redact("git::https://host/x?ref=a@b") == "git::https://host/x?ref=a@b")
    }

    @Test("credential query values (key ids too) are masked; other parameters stay")
    func queryRedaction() {
        #expect(URLRedaction.redact("s3::http://h/b/k?aws_access_key_id=AKID&aws_access_key_secret=s3cr3t&region=eu-west-1")
                == "s3::http://h/b/k?aws_access_key_id=***&aws_access_key_secret=***&region=eu-west-1")
        #expect(URLRedaction.redact("https://acct.blob.core.windows.net/c/x.zip?sv=2024&sig=abc%2Bdef 'next'")
                == "https://acct.blob.core.windows.net/c/x.zip?sv=2024&sig=*** 'next'")
        #expect(URLRedaction.redact("git::https://host/x?ref=v1.2.3&depth=1") == "git::https://host/x?ref=v1.2.3&depth=1")
    }

    @Test("an S3 source's //subdir is split off before the query", arguments: [
        ("s3://b/pkg/app.tar.gz//app", "s3://b/pkg/app.tar.gz", "app"),
        ("s3::http://127.0.0.1:9/b/lib//modules/vpc?region=x", "s3::http://127.0.0.1:9/b/lib?region=x", "modules/vpc"),
        ("s3::https://s3.amazonaws.com/b/lib/vpc", "s3::https://s3.amazonaws.com/b/lib/vpc", ""),
    ])
    func s3Subdirectory(raw: String, url: String, subdirectory: String) {
        let parts = VendorLocation.s3Parts(raw)
        #expect(parts.url == url && parts.subdirectory == subdirectory)
    }
}
