using MnistTrainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Model;

public class MnistNetworkTests
{
    static float[] Weights(Sequential network) => network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    [Fact]
    public async Task TheSameSeedGivesTheSameWeightsWhileOtherThreadsMakeNetworks()
    {
        // The layers draw from libtorch's one global generator: unguarded, a network made on another thread
        // between the seeding and the drawing took this one's numbers (a flaky test run showed it).
        float[] expected;
        using (var network = MnistNetwork.Create(seed: 11)) expected = Weights(network);
        using var stop = new CancellationTokenSource();
        var others = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                using (MnistNetwork.Create()) { }
        })).ToArray();
        try
        {
            for (int i = 0; i < 50; i++)
            {
                using var network = MnistNetwork.Create(seed: 11);
                Assert.Equal(expected, Weights(network));
            }
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(others);
        }
    }

    [Fact]
    public void TheLogitsNetworkOfASeedHasTheSameWeightsAsTheFullOne()
    {
        using var full = MnistNetwork.Create(seed: 4);
        using var logits = MnistNetwork.CreateLogits(seed: 4);
        Assert.Equal(Weights(full), Weights(logits));
    }
}

public class InputNormalizationTests
{
    [Fact]
    public void MatchesToTensorThenNormalizeHalfHalf()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var pixels = tensor(bytes, [1, 256]);
        using var normalized = InputNormalization.Apply(pixels);
        var values = normalized.data<float>().ToArray();

        for (int i = 0; i < 256; i++)
        {
            // torchvision: ToTensor divides by 255 in float32, Normalize subtracts the mean and divides by the std.
            float expected = ((float)i / 255f - 0.5f) / 0.5f;
            Assert.Equal(expected, values[i]);
        }
        Assert.Equal(-1f, values[0]);
        Assert.Equal(1f, values[255]);
    }
}
