import Configuration

/// `lstmcast check-config`: validates a configuration file without starting anything.
enum CheckConfigCommand {
    static let help = """
        USAGE: lstmcast check-config FILE

        Parses and validates FILE as lstmcastd would. Prints 'FILE: configuration
        is valid' and exits 0, or prints the first problem found as
        file:line:column with the source line and exits 1. Fix it and run again
        to see the next one. Problems are found key by key, not in line order.
        """

    static func run(_ arguments: [String]) throws {
        let args = try Arguments(arguments, valueOptions: [], booleanFlags: [])
        guard args.positional.count == 1 else { throw UsageError(message: "check-config needs one FILE") }
        let path = args.positional[0]
        do {
            _ = try ConfigurationLoader.load(path: path)
        } catch let error as ConfigurationError {
            throw CommandFailure(message: "\(error)")
        }
        print("\(path): configuration is valid")
    }
}
