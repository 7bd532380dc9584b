using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

/// <summary>
/// The products against a plain triple loop in double, on the network's own shapes and on shapes that leave
/// every remainder (rows not a multiple of 4, columns not a multiple of 4 or 16, a sum not a multiple of 16).
/// Where the processor has no 512-bit vectors .NET emulates them, so these run everywhere.
/// </summary>
public class SmallMatrixProductsTests
{
    static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>float32 sums of up to 784 terms of size ≤ 1 stay within this of the exact sum.</summary>
    static void AssertClose(double expected, float actual, string where) =>
        Assert.True(Math.Abs(expected - actual) <= 2e-5 * Math.Max(1, Math.Abs(expected)), $"{where}: expected {expected}, got {actual}");

    [Theory]
    [InlineData(64, 128, 784)] // layer 1's forward
    [InlineData(64, 64, 128)]  // layer 2's
    [InlineData(64, 10, 64)]   // layer 3's
    [InlineData(7, 13, 37)]    // every remainder
    [InlineData(1, 1, 1)]
    public void MultiplyTransposedAddBiasIsBiasPlusRowDotRow(int m, int n, int k)
    {
        var (a, b, bias) = (Random(m * k, 1), Random(n * k, 2), Random(n, 3));
        int stride = n + 3; // c's rows further apart than n: the columns in between stay untouched
        var c = Enumerable.Repeat(99f, m * stride).ToArray();

        SmallMatrixProducts.MultiplyTransposedAddBias(a, b, bias, c, m, n, k, cRowStride: stride);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = bias[j];
                for (int p = 0; p < k; p++) expected += (double)a[i * k + p] * b[j * k + p];
                AssertClose(expected, c[i * stride + j], $"c[{i},{j}]");
            }
            for (int j = n; j < stride; j++) Assert.Equal(99f, c[i * stride + j]);
        }
    }

    public enum AShape { AsIs, Transposed, AllOne }

    [Theory]
    [InlineData(64, 128, 64, AShape.AsIs, false)]      // ∂L/∂H1 = G2 W2
    [InlineData(128, 784, 64, AShape.Transposed, true)] // W1 += −lr G1ᵀ X
    [InlineData(10, 64, 64, AShape.Transposed, true)]  // W3 += −lr G3ᵀ H2
    [InlineData(1, 128, 64, AShape.AllOne, true)]      // b1 += −lr G1ᵀ 1
    [InlineData(1, 10, 56, AShape.AllOne, true)]       // b3, on a last batch of 56
    [InlineData(7, 53, 5, AShape.AsIs, false)]         // every remainder: 3 whole vectors and 5 columns
    [InlineData(9, 70, 3, AShape.Transposed, true)]    // 4 whole vectors and 6 columns
    public void MultiplyAccumulateIsAlphaTimesTheProductPlusC(int m, int n, int k, AShape shape, bool accumulate)
    {
        var (aRowStride, aStepStride, aLength) = shape switch
        {
            AShape.AsIs => (k, 1, m * k),
            AShape.Transposed => (1, m, k * m),
            _ => (0, 0, 1),
        };
        var a = shape == AShape.AllOne ? [1f] : Random(aLength, 4);
        var b = Random(k * n, 5);
        var before = Random(m * n, 6);
        var c = (float[])before.Clone();
        const float alpha = -0.01f;

        SmallMatrixProducts.MultiplyAccumulate(a, aRowStride, aStepStride, b, c, m, n, k, alpha, accumulate);

        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double product = 0;
                for (int p = 0; p < k; p++) product += (double)a[i * aRowStride + p * aStepStride] * b[p * n + j];
                AssertClose((accumulate ? before[i * n + j] : 0) + alpha * product, c[i * n + j], $"c[{i},{j}]");
            }
    }

    [Fact]
    public void RefusesSpansTooShortForTheShapes()
    {
        var small = new float[10];
        Assert.Throws<ArgumentException>(() => SmallMatrixProducts.MultiplyTransposedAddBias(small, small, small, small, 4, 4, 4, 4));
        Assert.Throws<ArgumentException>(() => SmallMatrixProducts.MultiplyAccumulate(small, 4, 1, small, small, 4, 4, 4, 1f, false));
    }

    [Fact]
    public void GiveTheSameBitsEveryTime()
    {
        // The order of every sum is fixed: a run is repeatable, whichever thread or compilation computes it.
        var (a, b, bias) = (Random(64 * 784, 7), Random(128 * 784, 8), Random(128, 9));
        float[] Once()
        {
            var c = new float[64 * 128];
            SmallMatrixProducts.MultiplyTransposedAddBias(a, b, bias, c, 64, 128, 784, 128);
            SmallMatrixProducts.MultiplyAccumulate(c, 1, 128, a, b, 128, 784, 64, -1e-3f, accumulate: true);
            return c.Concat(b.Take(1000)).ToArray();
        }
        var first = Once();
        b = Random(128 * 784, 8);
        Assert.Equal(first, Once());
    }
}
