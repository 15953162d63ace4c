import LSTMKit

/// Training throughput of the reference recipe, one fresh model per run.
enum TrainBenchmark {
    static func run(threads: Int, runs: Int) throws {
        // The trainer splits each mini-batch across its own threads, and a
        // second layer of OpenBLAS threads would contend with them for cores.
        BLASThreads.set(1)
        let dataset = ReferenceRecipe.dataset(series: ReferenceRecipe.series())
        let processedWindows = Double(dataset.windowCount * ReferenceRecipe.epochs)

        for run in 1...runs {
            let (_, report, seconds) = try ReferenceRecipe.train(dataset: dataset, threads: threads)
            var line = JSONLine(bench: "train")
            line.add("threads", threads)
            line.add("activations", ActivationKernel.active.rawValue)
            line.add("seconds", seconds, decimals: 4)
            line.add("windows_per_second", processedWindows / seconds, decimals: 1)
            line.add("windows", dataset.windowCount)
            line.add("epochs", report.epochsRun)
            line.add("final_loss", Double(report.trainingLoss), significantDigits: 6)
            line.add("run", run)
            line.emit()
        }
    }
}
