using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistTrainer.Training;

/// <summary>
/// The two matrix products a training step of the lesson's network needs, written with 512-bit vectors
/// (16 floats) for its small shapes: a batch of 64 against layers of 784, 128, 64 and 10. On one core they
/// are as fast as libtorch's MKL (the 8 products of an epoch: 0.32 s each on a Zen 4 core, near its peak
/// of multiply-adds); what they add is that any block of rows or columns can be computed on its own, by
/// any thread, with the same result (see <see cref="SecondCore"/>), which MKL's threads (OpenMP) cannot
/// offer on two cores. Where the processor has no 512-bit vectors <see cref="IsAccelerated"/> is false and
/// the caller keeps libtorch's products.
/// </summary>
/// <remarks>
/// Both products keep a block of 4×4 results in 16 vector registers while they walk the shared dimension,
/// so each value loaded from memory feeds four multiply-adds. The order of every sum is fixed (it depends
/// on the shapes only, never on timing or alignment), so a run gives the same numbers every time.
/// </remarks>
public static class SmallMatrixProducts
{
    const int Lanes = 16; // floats in a Vector512

    /// <summary>Whether 512-bit vectors are fast here; otherwise these products would be emulated and slow.</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// c[i,j] = bias[j] + Σₚ a[i,p] b[j,p]: c = a bᵀ + bias for a [m,k], b [n,k] and c [m,n], all rows
    /// contiguous, c's <paramref name="cRowStride"/> apart (n, or more for a block of c's columns). This is
    /// Linear's forward with b its weight [out,in]: each result is a dot product of two contiguous rows,
    /// summed 16 lanes at a time and then across the lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimized from the first call: no slow first epoch
    public static void MultiplyTransposedAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias,
        Span<float> c, int m, int n, int k, int cRowStride)
    {
        int ldc = cRowStride;
        Require(m > 0 && n > 0 && k > 0 && ldc >= n && a.Length >= m * k && b.Length >= n * k && bias.Length >= n
            && c.Length >= (m - 1) * ldc + n);
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            int j = 0;
            for (; j + 4 <= n; j += 4) Dot4x4(ref a0, ref b0, bias, c, i, j, ldc, k);
            for (; j < n; j++)
                for (int r = 0; r < 4; r++) c[(i + r) * ldc + j] = bias[j] + Dot(ref a0, (i + r) * k, ref b0, j * k, k);
        }
        for (; i < m; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] = bias[j] + Dot(ref a0, i * k, ref b0, j * k, k);
    }

    /// <summary>
    /// c = alpha·A b (+ c when <paramref name="accumulate"/>) for b [k,n] and c [m,n] with contiguous rows, and
    /// A [m,k] read through strides: A[i,p] = a[i·<paramref name="aRowStride"/> + p·<paramref name="aStepStride"/>].
    /// With strides (k, 1) A is a itself (the gradient for a layer's input, G W); with (1, m) it is a's
    /// transpose (the weight update W += −lr Gᵀ X); with (0, 0) every entry is a[0] (a bias update: column sums).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAccumulate(ReadOnlySpan<float> a, int aRowStride, int aStepStride, ReadOnlySpan<float> b,
        Span<float> c, int m, int n, int k, float alpha, bool accumulate)
    {
        Require(m > 0 && n > 0 && k > 0 && a.Length > (m - 1) * aRowStride + (k - 1) * aStepStride
            && b.Length >= k * n && c.Length >= m * n);
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        int vectorColumns = n - n % Lanes;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            int j = 0;
            for (; j + 4 * Lanes <= vectorColumns; j += 4 * Lanes)
                Broadcast4x4(ref a0, aRowStride, aStepStride, ref b0, ref c0, i, j, n, k, alpha, accumulate);
            for (; j < vectorColumns; j += Lanes)
                for (int r = 0; r < 4; r++) Broadcast1x1(ref a0, aRowStride, aStepStride, ref b0, ref c0, i + r, j, n, k, alpha, accumulate);
            for (; j < n; j++)
                for (int r = 0; r < 4; r++) Scalar(ref a0, aRowStride, aStepStride, ref b0, ref c0, i + r, j, n, k, alpha, accumulate);
        }
        for (; i < m; i++)
        {
            int j = 0;
            for (; j < vectorColumns; j += Lanes) Broadcast1x1(ref a0, aRowStride, aStepStride, ref b0, ref c0, i, j, n, k, alpha, accumulate);
            for (; j < n; j++) Scalar(ref a0, aRowStride, aStepStride, ref b0, ref c0, i, j, n, k, alpha, accumulate);
        }
    }

    /// <summary>The 4×4 results c[i..i+4, j..j+4] of <see cref="MultiplyTransposedAddBias"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dot4x4(ref float a0, ref float b0, ReadOnlySpan<float> bias, Span<float> c, int i, int j, int ldc, int k)
    {
        ref float a1 = ref Unsafe.Add(ref a0, i * k);
        ref float a2 = ref Unsafe.Add(ref a1, k);
        ref float a3 = ref Unsafe.Add(ref a2, k);
        ref float a4 = ref Unsafe.Add(ref a3, k);
        ref float b1 = ref Unsafe.Add(ref b0, j * k);
        ref float b2 = ref Unsafe.Add(ref b1, k);
        ref float b3 = ref Unsafe.Add(ref b2, k);
        ref float b4 = ref Unsafe.Add(ref b3, k);
        Vector512<float> c11 = default, c12 = default, c13 = default, c14 = default;
        Vector512<float> c21 = default, c22 = default, c23 = default, c24 = default;
        Vector512<float> c31 = default, c32 = default, c33 = default, c34 = default;
        Vector512<float> c41 = default, c42 = default, c43 = default, c44 = default;
        int p = 0;
        for (; p + Lanes <= k; p += Lanes)
        {
            nuint at = (nuint)p;
            var x1 = Vector512.LoadUnsafe(ref a1, at); var x2 = Vector512.LoadUnsafe(ref a2, at);
            var x3 = Vector512.LoadUnsafe(ref a3, at); var x4 = Vector512.LoadUnsafe(ref a4, at);
            var y = Vector512.LoadUnsafe(ref b1, at);
            c11 = Vector512.FusedMultiplyAdd(x1, y, c11); c21 = Vector512.FusedMultiplyAdd(x2, y, c21);
            c31 = Vector512.FusedMultiplyAdd(x3, y, c31); c41 = Vector512.FusedMultiplyAdd(x4, y, c41);
            y = Vector512.LoadUnsafe(ref b2, at);
            c12 = Vector512.FusedMultiplyAdd(x1, y, c12); c22 = Vector512.FusedMultiplyAdd(x2, y, c22);
            c32 = Vector512.FusedMultiplyAdd(x3, y, c32); c42 = Vector512.FusedMultiplyAdd(x4, y, c42);
            y = Vector512.LoadUnsafe(ref b3, at);
            c13 = Vector512.FusedMultiplyAdd(x1, y, c13); c23 = Vector512.FusedMultiplyAdd(x2, y, c23);
            c33 = Vector512.FusedMultiplyAdd(x3, y, c33); c43 = Vector512.FusedMultiplyAdd(x4, y, c43);
            y = Vector512.LoadUnsafe(ref b4, at);
            c14 = Vector512.FusedMultiplyAdd(x1, y, c14); c24 = Vector512.FusedMultiplyAdd(x2, y, c24);
            c34 = Vector512.FusedMultiplyAdd(x3, y, c34); c44 = Vector512.FusedMultiplyAdd(x4, y, c44);
        }
        Span<float> sums = stackalloc float[16];
        sums[0] = Sum(c11); sums[1] = Sum(c12); sums[2] = Sum(c13); sums[3] = Sum(c14);
        sums[4] = Sum(c21); sums[5] = Sum(c22); sums[6] = Sum(c23); sums[7] = Sum(c24);
        sums[8] = Sum(c31); sums[9] = Sum(c32); sums[10] = Sum(c33); sums[11] = Sum(c34);
        sums[12] = Sum(c41); sums[13] = Sum(c42); sums[14] = Sum(c43); sums[15] = Sum(c44);
        for (int r = 0; r < 4; r++)
            for (int s = 0; s < 4; s++)
            {
                float sum = sums[r * 4 + s];
                for (int q = p; q < k; q++) // the last k mod 16 terms, if any
                    sum += Unsafe.Add(ref a0, (i + r) * k + q) * Unsafe.Add(ref b0, (j + s) * k + q);
                c[(i + r) * ldc + j + s] = bias[j + s] + sum;
            }
    }

    /// <summary>One dot product of <paramref name="k"/> terms, in the same order as <see cref="Dot4x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Dot(ref float a0, int aAt, ref float b0, int bAt, int k)
    {
        ref float x = ref Unsafe.Add(ref a0, aAt);
        ref float y = ref Unsafe.Add(ref b0, bAt);
        var sum = Vector512<float>.Zero;
        int p = 0;
        for (; p + Lanes <= k; p += Lanes)
            sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)p), Vector512.LoadUnsafe(ref y, (nuint)p), sum);
        float total = Sum(sum);
        for (; p < k; p++) total += Unsafe.Add(ref x, p) * Unsafe.Add(ref y, p);
        return total;
    }

    /// <summary>
    /// Rows i..i+4 and columns j..j+64 of <see cref="MultiplyAccumulate"/>: at each step p, four entries of A
    /// (one per row, broadcast to all lanes) times four vectors of b's row p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Broadcast4x4(ref float a0, int aRowStride, int aStepStride, ref float b0, ref float c0,
        int i, int j, int n, int k, float alpha, bool accumulate)
    {
        Vector512<float> c11 = default, c12 = default, c13 = default, c14 = default;
        Vector512<float> c21 = default, c22 = default, c23 = default, c24 = default;
        Vector512<float> c31 = default, c32 = default, c33 = default, c34 = default;
        Vector512<float> c41 = default, c42 = default, c43 = default, c44 = default;
        ref float a = ref Unsafe.Add(ref a0, i * aRowStride);
        ref float b = ref Unsafe.Add(ref b0, j);
        for (int p = 0; p < k; p++)
        {
            ref float bRow = ref Unsafe.Add(ref b, p * n);
            var y1 = Vector512.LoadUnsafe(ref bRow); var y2 = Vector512.LoadUnsafe(ref bRow, Lanes);
            var y3 = Vector512.LoadUnsafe(ref bRow, 2 * Lanes); var y4 = Vector512.LoadUnsafe(ref bRow, 3 * Lanes);
            ref float aStep = ref Unsafe.Add(ref a, p * aStepStride);
            var x = Vector512.Create(aStep);
            c11 = Vector512.FusedMultiplyAdd(x, y1, c11); c12 = Vector512.FusedMultiplyAdd(x, y2, c12);
            c13 = Vector512.FusedMultiplyAdd(x, y3, c13); c14 = Vector512.FusedMultiplyAdd(x, y4, c14);
            x = Vector512.Create(Unsafe.Add(ref aStep, aRowStride));
            c21 = Vector512.FusedMultiplyAdd(x, y1, c21); c22 = Vector512.FusedMultiplyAdd(x, y2, c22);
            c23 = Vector512.FusedMultiplyAdd(x, y3, c23); c24 = Vector512.FusedMultiplyAdd(x, y4, c24);
            x = Vector512.Create(Unsafe.Add(ref aStep, 2 * aRowStride));
            c31 = Vector512.FusedMultiplyAdd(x, y1, c31); c32 = Vector512.FusedMultiplyAdd(x, y2, c32);
            c33 = Vector512.FusedMultiplyAdd(x, y3, c33); c34 = Vector512.FusedMultiplyAdd(x, y4, c34);
            x = Vector512.Create(Unsafe.Add(ref aStep, 3 * aRowStride));
            c41 = Vector512.FusedMultiplyAdd(x, y1, c41); c42 = Vector512.FusedMultiplyAdd(x, y2, c42);
            c43 = Vector512.FusedMultiplyAdd(x, y3, c43); c44 = Vector512.FusedMultiplyAdd(x, y4, c44);
        }
        ref float c = ref Unsafe.Add(ref c0, i * n + j);
        Store(ref c, 0, c11, alpha, accumulate); Store(ref c, Lanes, c12, alpha, accumulate);
        Store(ref c, 2 * Lanes, c13, alpha, accumulate); Store(ref c, 3 * Lanes, c14, alpha, accumulate);
        c = ref Unsafe.Add(ref c, n);
        Store(ref c, 0, c21, alpha, accumulate); Store(ref c, Lanes, c22, alpha, accumulate);
        Store(ref c, 2 * Lanes, c23, alpha, accumulate); Store(ref c, 3 * Lanes, c24, alpha, accumulate);
        c = ref Unsafe.Add(ref c, n);
        Store(ref c, 0, c31, alpha, accumulate); Store(ref c, Lanes, c32, alpha, accumulate);
        Store(ref c, 2 * Lanes, c33, alpha, accumulate); Store(ref c, 3 * Lanes, c34, alpha, accumulate);
        c = ref Unsafe.Add(ref c, n);
        Store(ref c, 0, c41, alpha, accumulate); Store(ref c, Lanes, c42, alpha, accumulate);
        Store(ref c, 2 * Lanes, c43, alpha, accumulate); Store(ref c, 3 * Lanes, c44, alpha, accumulate);
    }

    /// <summary>Row i and columns j..j+16 of <see cref="MultiplyAccumulate"/>, in the same order as <see cref="Broadcast4x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Broadcast1x1(ref float a0, int aRowStride, int aStepStride, ref float b0, ref float c0,
        int i, int j, int n, int k, float alpha, bool accumulate)
    {
        var sum = Vector512<float>.Zero;
        ref float a = ref Unsafe.Add(ref a0, i * aRowStride);
        ref float b = ref Unsafe.Add(ref b0, j);
        for (int p = 0; p < k; p++)
            sum = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, p * aStepStride)), Vector512.LoadUnsafe(ref b, (nuint)(p * n)), sum);
        Store(ref Unsafe.Add(ref c0, i * n + j), 0, sum, alpha, accumulate);
    }

    /// <summary>One result of <see cref="MultiplyAccumulate"/> (columns past the last whole vector), in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Scalar(ref float a0, int aRowStride, int aStepStride, ref float b0, ref float c0,
        int i, int j, int n, int k, float alpha, bool accumulate)
    {
        float sum = 0;
        for (int p = 0; p < k; p++)
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a0, i * aRowStride + p * aStepStride), Unsafe.Add(ref b0, p * n + j), sum);
        ref float c = ref Unsafe.Add(ref c0, i * n + j);
        c = accumulate ? MathF.FusedMultiplyAdd(alpha, sum, c) : alpha * sum;
    }

    /// <summary>
    /// The sum of a vector's lanes in a fixed order: halves added, then halves of those, then the last four
    /// pairwise. (Vector512.Sum leaves its order to the JIT, which changed it between a method's first,
    /// quick compilation and its optimized one: the same run gave different weights from one time to the next.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Sum(Vector512<float> lanes)
    {
        var eight = lanes.GetLower() + lanes.GetUpper();
        var four = eight.GetLower() + eight.GetUpper();
        return (four.GetElement(0) + four.GetElement(2)) + (four.GetElement(1) + four.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(ref float c, nuint at, Vector512<float> sum, float alpha, bool accumulate)
    {
        var scaled = accumulate
            ? Vector512.FusedMultiplyAdd(Vector512.Create(alpha), sum, Vector512.LoadUnsafe(ref c, at))
            : Vector512.Create(alpha) * sum;
        scaled.StoreUnsafe(ref c, at);
    }

    static void Require(bool shapesFit)
    {
        if (!shapesFit) throw new ArgumentException("the spans are too short for the shapes given");
    }
}
