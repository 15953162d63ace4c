import Foundation
import LSTMKit

/// Peak resident memory of a process that trains the reference model once.
enum MemoryBenchmark {
    static func run(threads: Int) throws {
        BLASThreads.set(1)
        let before = try peakResidentMebibytes()
        let dataset = ReferenceRecipe.dataset(series: ReferenceRecipe.series())
        let (_, report, seconds) = try ReferenceRecipe.train(dataset: dataset, threads: threads)
        let peak = try peakResidentMebibytes()

        var line = JSONLine(bench: "memory")
        line.add("threads", threads)
        line.add("activations", ActivationKernel.active.rawValue)
        line.add("peak_rss_mb", peak, decimals: 1)
        line.add("rss_before_training_mb", before, decimals: 1)
        line.add("seconds", seconds, decimals: 4)
        line.add("final_loss", Double(report.trainingLoss), significantDigits: 6)
        line.emit()
    }

    /// Returns getrusage's ru_maxrss, which Linux reports in KiB, in MiB.
    static func peakResidentMebibytes() throws -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else {
            throw BenchFailure(message: "getrusage failed with errno \(errno)")
        }
        return Double(usage.ru_maxrss) / 1024
    }
}
