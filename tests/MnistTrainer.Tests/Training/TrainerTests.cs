using MnistTrainer.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Training;

public class TrainerTests(ITestOutputHelper log)
{
    [Fact]
    public void LearnsRealDigits()
    {
        // The issue's smoke test on real digits: PyTorch reaches 0.86–0.88 with these settings.
        using var train = new ImageTensors(RealDatasets.MnistTrainPart);
        using var test = new ImageTensors(RealDatasets.MnistTestPart);
        using var network = Trainer.NewNetwork(seed: 1);
        var result = new Trainer(new TrainingOptions(5, 0.01, 64, Seed: 1)).Run(network, train, test);

        log.WriteLine($"losses {string.Join(" ", result.EpochLosses.Select(l => l.ToString("F4")))}, accuracy {result.TestAccuracy:F4}");
        Assert.Equal(5, result.EpochLosses.Count);
        for (int i = 1; i < 5; i++) Assert.True(result.EpochLosses[i] < result.EpochLosses[i - 1], $"losses {string.Join(", ", result.EpochLosses)}");
        Assert.True(result.TestAccuracy >= 0.85, $"accuracy {result.TestAccuracy} on unseen digits");
    }

    [Fact]
    public void SameSeedGivesTheSameLossesAndWeights()
    {
        set_num_threads(1);
        using var train = new ImageTensors(RealDatasets.Mnist.Slice(0, 3000));
        var (lossesA, weightsA) = TrainOnce(train, seed: 42);
        var (lossesB, weightsB) = TrainOnce(train, seed: 42);
        var (lossesC, _) = TrainOnce(train, seed: 43);

        Assert.Equal(lossesA, lossesB);
        Assert.Equal(weightsA, weightsB);
        Assert.NotEqual(lossesA, lossesC);
    }

    [Fact]
    public void MoreEpochsLeaveNoMoreLiveTensors()
    {
        // Every batch runs in a dispose scope: the tensors alive after training must not grow with the epochs.
        using var train = new ImageTensors(RealDatasets.Mnist.Slice(0, 1000));
        using var test = new ImageTensors(RealDatasets.Mnist.Slice(1000, 500));
        long LiveAfter(int epochs)
        {
            using var network = Trainer.NewNetwork(seed: 5);
            long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            new Trainer(new TrainingOptions(epochs, 0.01, 64, Seed: 5)).Run(network, train, test);
            return TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        long afterOne = LiveAfter(1);
        long afterFour = LiveAfter(4);
        Assert.Equal(afterOne, afterFour);
    }

    static (double[] Losses, float[] Weights) TrainOnce(ImageTensors train, long seed)
    {
        using var network = Trainer.NewNetwork(seed);
        var result = new Trainer(new TrainingOptions(2, 0.01, 64, seed)).Run(network, train, test: null);
        var weights = network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        return (result.EpochLosses.ToArray(), weights);
    }
}
