using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Training;

public class ManualStepTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void WritesAutogradsGradientsAndLossStepByStep(double labelSmoothing)
    {
        using var data = new ImageTensors(RealDatasets.Mnist.Slice(0, 64 * 10 + 40)); // 10 full batches and one of 40
        using var loader = new BatchLoader(data, 64);
        using var order = randperm(data.Count, generator: new Generator(4));
        using var autograd = Trainer.NewNetwork(seed: 7);
        using var manual = Trainer.NewNetwork(seed: 7);
        using var autogradOptimizer = optim.SGD(autograd.parameters(), 0.05);
        using var manualOptimizer = optim.SGD(manual.parameters(), 0.05);
        using var step = new ManualStep(manual, labelSmoothing);
        double worstGradient = 0, worstLoss = 0;

        for (int start = 0; start < data.Count; start += 64)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = loader.Load(order, start, Math.Min(64, data.Count - start));
            foreach (var p in autograd.parameters()) p.grad = null;
            var output = autograd.call(images);
            var loss = nn.functional.nll_loss(output, labels).mul(1 - labelSmoothing).sub(output.mean().mul(labelSmoothing));
            loss.backward();

            float manualLoss = step.Backward(images, labels);

            worstLoss = Math.Max(worstLoss, Math.Abs(manualLoss - loss.item<float>()));
            worstGradient = Math.Max(worstGradient, MaxDifference(Gradients(autograd), Gradients(manual)));
            autogradOptimizer.step();
            manualOptimizer.step();
        }
        log.WriteLine($"largest difference over 11 steps: loss {worstLoss:E2}, gradient {worstGradient:E2}");
        Assert.True(worstLoss <= 1e-6, $"loss differs by {worstLoss}");
        Assert.True(worstGradient <= 1e-6, $"a gradient differs by {worstGradient}");
    }

    [Fact]
    public void TakesTheLayerSizesFromTheNetwork()
    {
        // Not the lesson's sizes: 784 → 32 → 16 → 8 → 10, three hidden layers.
        using var data = new ImageTensors(RealDatasets.Mnist.Slice(0, 64));
        using var loader = new BatchLoader(data, 64);
        using var order = arange(64, ScalarType.Int64);
        Sequential Deeper() => MnistNetwork.DrawingFromTheGlobalGenerator(() =>
        {
            manual_seed(3);
            return nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(),
                nn.Linear(8, 10), nn.LogSoftmax(1));
        });
        using var autograd = Deeper();
        using var manual = Deeper();
        using var step = new ManualStep(manual);
        var (images, labels) = loader.Load(order, 0, 64);

        nn.functional.nll_loss(autograd.call(images), labels).backward();
        step.Backward(images, labels);

        Assert.True(MaxDifference(Gradients(autograd), Gradients(manual)) <= 1e-6);
    }

    [Fact]
    public void RefusesOtherNetworks()
    {
        using var logits = MnistNetwork.CreateLogits(seed: 1); // no LogSoftmax
        using var sigmoid = MnistNetwork.DrawingFromTheGlobalGenerator(() =>
            nn.Sequential(nn.Linear(784, 10), nn.Sigmoid(), nn.Linear(10, 10), nn.LogSoftmax(1)));
        using var mismatched = MnistNetwork.DrawingFromTheGlobalGenerator(() =>
            nn.Sequential(nn.Linear(784, 10), nn.ReLU(), nn.Linear(12, 10), nn.LogSoftmax(1)));
        Assert.Throws<ArgumentException>(() => new ManualStep(logits));
        Assert.Throws<ArgumentException>(() => new ManualStep(sigmoid));
        Assert.Throws<ArgumentException>(() => new ManualStep(mismatched));
    }

    [Fact]
    public void GivesTheGradientsBackWhenDisposed()
    {
        using var network = Trainer.NewNetwork(seed: 1);
        using (new ManualStep(network))
            Assert.All(network.parameters(), p => Assert.NotNull(p.grad));
        Assert.All(network.parameters(), p => Assert.Null(p.grad));
    }

    [RealDataFact(RealData.FashionMnist)]
    public void DefaultTrainingKeepsTheLessonsLosses()
    {
        // train --dataset fashion-mnist --epochs 5 --seed 1 before issue #21 (with the helper core and its own
        // products), to full precision; the lesson's 1.0418 0.5620 0.4941 0.4567 0.4327 before the manual step.
        double[] before = [1.0418116228222085, 0.5620440340309001, 0.4940723114684701, 0.4567484460882287, 0.43269443650171957];
        using var train = new ImageTensors(RealDatasets.FashionMnistTrain);
        using var network = Trainer.NewNetwork(seed: 1);
        var losses = new Trainer(new TrainingOptions(5, 0.01, 64, Seed: 1)).Run(network, train, test: null).EpochLosses;

        log.WriteLine($"losses {string.Join(" ", losses.Select(l => l.ToString("F7")))}");
        for (int i = 0; i < before.Length; i++)
            Assert.True(Math.Abs(losses[i] - before[i]) <= 1e-4, $"epoch {i + 1}: {losses[i]:F7}, before {before[i]:F7}");
    }

    static float[][] Gradients(Sequential network) => network.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();

    internal static double MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => x.Zip(y, (u, v) => Math.Abs((double)u - v)).Max()).Max();
}
