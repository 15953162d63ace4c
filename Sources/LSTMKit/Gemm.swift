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
    cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y, 1)
}
