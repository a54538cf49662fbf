import Testing

/// Integration tests: the built kit drives the real terraform binary (and moto_server for the S3
/// backend) in fresh copies of a repository. They run one at a time: several measure timing
/// (overlapping applies, SIGINT) and must not compete with each other for the machine's cores.
@Suite(.serialized)
struct KitIntegration {}
