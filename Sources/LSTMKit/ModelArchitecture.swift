/// Whether the loss sees only the last step or every step of a window.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// `LSTM(...)` then `Dense(1)` on the last step; the label is the value after the window.
    case manyToOne = "many_to_one"
    /// Every LSTM step feeds the same `Dense(1)`; the label is the window shifted by one.
    case manyToMany = "many_to_many"
}

/// The shape of a stacked LSTM + Dense(1) model.
public struct ModelArchitecture: Sendable, Equatable, Codable {
    public var kind: ModelKind
    public var inputSize: Int
    public var hidden: [Int]

    public init(kind: ModelKind = .manyToOne, inputSize: Int = 1, hidden: [Int] = [50]) {
        precondition(inputSize > 0, "a model needs at least one input feature")
        precondition(!hidden.isEmpty && hidden.allSatisfy { $0 > 0 }, "every LSTM layer needs at least one unit")
        self.kind = kind
        self.inputSize = inputSize
        self.hidden = hidden
    }

    public var lstmLayouts: [LSTMLayerLayout] {
        var layouts: [LSTMLayerLayout] = []
        var offset = 0
        var inputs = inputSize
        for units in hidden {
            let layout = LSTMLayerLayout(inputSize: inputs, units: units, offset: offset)
            layouts.append(layout)
            offset += layout.parameterCount
            inputs = units
        }
        return layouts
    }

    public var denseLayout: DenseLayerLayout {
        let last = lstmLayouts.last!
        return DenseLayerLayout(inputSize: last.units, outputSize: 1, offset: last.offset + last.parameterCount)
    }

    public var parameterCount: Int {
        let dense = denseLayout
        return dense.offset + dense.parameterCount
    }
}
