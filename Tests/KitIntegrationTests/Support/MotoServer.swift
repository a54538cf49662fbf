import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `moto_server` on a free loopback port with the state bucket `kit-tfstate` and the DynamoDB lock
/// table `kit-tflock` (hash key `LockID`) created through boto3. Stop it with `stop()`.
final class MotoServer: @unchecked Sendable {
    static let bucket = "kit-tfstate"
    static let lockTable = "kit-tflock"
    /// Credentials and region the S3 backend and boto3 use against moto.
    static let awsEnvironment = ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                                 "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"]

    let endpoint: String
    private let server: RunningCommand
    private let logDirectory: String

    /// Starts the server, waits until it answers HTTP (up to 60 s), then creates the bucket and table.
    /// Its log goes to a temp directory that `stop()` removes (kept with `KIT_TEST_KEEP=1`).
    ///
    /// `seedEstates: true` starts `tools/moto-local/moto_local.py` (moto_server without its launch
    /// template tag echo) with AWS-managed IAM policies loaded, for the AWS seed estates.
    init(bucket: String = MotoServer.bucket, lockTable: String = MotoServer.lockTable, seedEstates: Bool = false) throws {
        let executable = seedEstates ? try IntegrationPaths.python() : try IntegrationPaths.motoServer()
        let port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        let logDirectory = try ScratchRepository.makeTempDirectory("moto")
        self.logDirectory = logDirectory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in Self.awsEnvironment { env[k] = v }
        var arguments = ["-H", "127.0.0.1", "-p", String(port)]
        if seedEstates {
            env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
            arguments = [IntegrationPaths.packageRoot + "/tools/moto-local/moto_local.py"] + arguments
        }
        server = try RunningCommand(executable, arguments, cwd: logDirectory,
                                    environment: env, logDirectory: logDirectory, label: "moto_server")
        do {
            try waitUntilAnswering(timeout: 60)
            try python("""
            import boto3
            s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1")
            s3.create_bucket(Bucket="\(bucket)")
            ddb = boto3.client("dynamodb", endpoint_url=ENDPOINT, region_name="us-east-1")
            ddb.create_table(TableName="\(lockTable)",
                             KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")
            print("created")
            """)
        } catch {
            stop()
            throw error
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its log directory.
    func stop() {
        if server.isRunning {
            kill(server.pid, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while server.isRunning && Date() < deadline { usleep(50_000) }
            if server.isRunning { kill(server.pid, SIGKILL) }
            server.waitUntilExit()
        }
        if ProcessInfo.processInfo.environment["KIT_TEST_KEEP"] != "1" { try? FileManager.default.removeItem(atPath: logDirectory) }
    }

    /// Lock entries in the DynamoDB table (terraform's `-md5` digest items left out).
    func dynamoDBLocks() throws -> [String] {
        let out = try python("""
        import boto3
        ddb = boto3.client("dynamodb", endpoint_url=ENDPOINT, region_name="us-east-1")
        for item in ddb.scan(TableName="\(Self.lockTable)")["Items"]:
            lock_id = item["LockID"]["S"]
            if not lock_id.endswith("-md5"):
                print(lock_id)
        """)
        return out.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Keys in the state bucket.
    func bucketKeys() throws -> [String] {
        let out = try python("""
        import boto3
        s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1")
        for obj in s3.list_objects_v2(Bucket="\(Self.bucket)").get("Contents", []):
            print(obj["Key"])
        """)
        return out.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Runs a python snippet with `ENDPOINT` defined; returns its stdout, throws with its output on failure.
    @discardableResult
    func python(_ script: String) throws -> String {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in Self.awsEnvironment { env[k] = v }
        let result = try RunningCommand.run(try IntegrationPaths.python(), ["-c", "ENDPOINT = \"\(endpoint)\"\n" + script],
                                            cwd: logDirectory, environment: env, logDirectory: logDirectory,
                                            label: "python-boto3", timeout: 60)
        guard result.status == 0 else {
            throw IntegrationSetupError("boto3 against moto at \(endpoint) failed (status \(result.status)) — is boto3 installed for '\(try IntegrationPaths.python())'?\n\(result.output)")
        }
        return result.stdout
    }

    private func waitUntilAnswering(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = server.terminationStatus {
                throw IntegrationSetupError("moto_server exited (status \(status)) before answering on \(endpoint):\n\(server.outputSoFar())")
            }
            if Self.answers(endpoint + "/moto-api/") { return }
            usleep(100_000)
        }
        throw IntegrationSetupError("moto_server did not answer on \(endpoint) within \(Int(timeout)) s:\n\(server.outputSoFar())")
    }

    /// True when an HTTP GET gets any response.
    static func answers(_ url: String) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let answered = LockedFlag()
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 2
        URLSession.shared.dataTask(with: request) { _, response, _ in
            if response != nil { answered.set() }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 3)
        return answered.value
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw IntegrationSetupError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw IntegrationSetupError("bind() on 127.0.0.1 failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw IntegrationSetupError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A thread-safe boolean set once.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
