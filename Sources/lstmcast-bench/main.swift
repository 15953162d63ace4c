import Foundation

// Every figure goes to standard output as one JSON object per line, so that
// scripts/bench can collect these lines and PyTorch's in one file.
setvbuf(stdout, nil, _IOLBF, 0)

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("-h") || arguments.contains("--help") {
    print(BenchCommand.usage)
    exit(0)
}

let command: BenchCommand
do {
    command = try BenchCommand(parsing: arguments)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("lstmcast-bench: \(error.message)\n\n\(BenchCommand.usage)\n".utf8))
    exit(64)
}

do {
    try command.run()
} catch {
    FileHandle.standardError.write(Data("lstmcast-bench: \(error)\n".utf8))
    exit(1)
}
exit(0)
