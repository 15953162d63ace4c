internal import CBLAS

/// Computes `c = alpha * op(a) * op(b) + beta * c` on row-major matrices
/// through OpenBLAS's `cblas_sgemm`; `op` transposes when asked.
///
/// `m`×`k` is the shape of `op(a)`, `k`×`n` that of `op(b)`, and the leading
/// dimensions are the row lengths of the matrices as stored.
@inline(__always)
func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if !transposeA && !transposeB && m * n * k <= smallProductLimit {
        for row in 0..<m {
            let output = c + row * ldc
            scale(output, count: n, by: beta)
            for inner in 0..<k {
                let factor = alpha * a[row * lda + inner]
                let source = b + inner * ldb
                for column in 0..<n { output[column] += factor * source[column] }
            }
        }
        return
    }
    cblas_sgemm(
        CblasRowMajor,
        transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k),
        alpha, a, Int32(lda), b, Int32(ldb),
        beta, c, Int32(ldc))
}

/// OpenBLAS's own thread pool; one thread is the default because the daemon
/// trains several series at once on its own worker threads, and the gate
/// products of a small LSTM are too small to split well.
public enum BLASThreads {
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}

/// Computes `y = alpha · aᵀ · x + beta · y` for a row-major `rows`×`columns`
/// matrix `a` through `cblas_sgemv`: the one-row case of `gemm`, which
/// skips the packing that sgemm does on every call.
@inline(__always)
func gemvTransposed(
    rows: Int, columns: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
) {
    if rows * columns <= smallProductLimit {
        scale(y, count: columns, by: beta)
        for row in 0..<rows {
            let factor = alpha * x[row]
            let source = a + row * lda
            for column in 0..<columns { y[column] += factor * source[column] }
        }
        return
    }
    cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y, 1)
}

/// Products with at most this many multiply-adds run in a plain loop: for the
/// few-unit models of recursive forecasts, OpenBLAS's fixed cost per call
/// was larger than the arithmetic.
let smallProductLimit = 4096

@inline(__always)
private func scale(_ values: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    if factor == 0 {
        values.update(repeating: 0, count: count)
    } else if factor != 1 {
        for index in 0..<count { values[index] *= factor }
    }
}
