using MnistTrainer.Training;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Training;

public class ManualSgdStepTests(ITestOutputHelper log)
{
    const double LearningRate = 0.01;

    [Fact]
    public void GivesAutogradsGradientsLossesAndWeightsStepByStep()
    {
        set_num_threads(1);
        using var data = new ImageTensors(RealDatasets.Mnist.Slice(0, 64 * 20 + 40)); // 20 full batches and one of 40
        using var loader = new BatchLoader(data, 64);
        using var order = randperm(data.Count, generator: new Generator(4));
        using var autograd = Trainer.NewNetwork(seed: 7);
        using var manual = Trainer.NewNetwork(seed: 7);
        // The manual step keeps no gradient: on a copy of the weights, a step with learning rate 1 leaves
        // weights − gradient, so the gradient is the difference (exact to a rounding of the weights, ~1e-8).
        using var probe = Trainer.NewNetwork(seed: 7);
        using var criterion = nn.NLLLoss();
        using var optimizer = optim.SGD(autograd.parameters(), LearningRate);
        using var manualStep = new ManualSgdStep(manual, LearningRate);
        using var probeStep = new ManualSgdStep(probe, learningRate: 1);
        double worstGradient = 0, worstWeight = 0, worstLoss = 0;

        for (int start = 0; start < data.Count; start += 64)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = loader.Load(order, start, Math.Min(64, data.Count - start));

            optimizer.zero_grad();
            var loss = criterion.call(autograd.call(images), labels);
            loss.backward();
            var autogradGradients = autograd.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();
            optimizer.step();

            CopyWeights(manual, probe);
            probeStep.Step(images, labels);
            var manualGradients = Weights(manual).Zip(Weights(probe), (before, after) => before.Zip(after, (b, a) => b - a).ToArray()).ToArray();
            float manualLoss = manualStep.Step(images, labels);

            worstLoss = Math.Max(worstLoss, Math.Abs(manualLoss - loss.item<float>()));
            worstGradient = Math.Max(worstGradient, MaxDifference(autogradGradients, manualGradients));
            worstWeight = Math.Max(worstWeight, MaxDifference(Weights(autograd), Weights(manual)));
        }
        log.WriteLine($"largest difference over {data.Count / 64 + 1} steps: loss {worstLoss:E2}, gradient {worstGradient:E2}, weight {worstWeight:E2}");
        Assert.True(worstLoss <= 1e-6, $"loss differs by {worstLoss}");
        Assert.True(worstGradient <= 1e-6, $"a gradient differs by {worstGradient}");
        Assert.True(worstWeight <= 1e-6, $"a weight differs by {worstWeight}");
    }

    [Fact]
    public void TrainsToTheSameEpochLossesAsAutograd()
    {
        set_num_threads(1);
        using var data = new ImageTensors(RealDatasets.Mnist.Slice(0, 3000)); // the last batch has 56 images
        double[] Losses(TrainingEngine engine)
        {
            using var network = Trainer.NewNetwork(seed: 3);
            var options = new TrainingOptions(Epochs: 2, LearningRate, BatchSize: 64, Seed: 3);
            return new Trainer(options) { Engine = engine }.Run(network, data, test: null).EpochLosses.ToArray();
        }
        var autograd = Losses(TrainingEngine.Autograd);
        var manual = Losses(TrainingEngine.Manual);

        log.WriteLine($"autograd {string.Join(" ", autograd.Select(l => l.ToString("F7")))}; manual {string.Join(" ", manual.Select(l => l.ToString("F7")))}");
        Assert.Equal(autograd.Length, manual.Length);
        for (int i = 0; i < autograd.Length; i++)
            Assert.True(Math.Abs(autograd[i] - manual[i]) <= 1e-6, $"epoch {i + 1}: autograd {autograd[i]}, manual {manual[i]}");
        Assert.Equal(manual, Losses(TrainingEngine.Manual)); // and the same again, bit for bit
    }

    [RealDataFact(RealData.FashionMnist)]
    public void DefaultTrainingKeepsTheLessonsLosses()
    {
        // train --dataset fashion-mnist --epochs 5 --seed 1 printed these before the manual step existed.
        double[] lesson = [1.0418, 0.5620, 0.4941, 0.4567, 0.4327];
        set_num_threads(1);
        using var train = new ImageTensors(RealDatasets.FashionMnistTrain);
        using var network = Trainer.NewNetwork(seed: 1);
        var losses = new Trainer(new TrainingOptions(5, LearningRate, 64, Seed: 1)).Run(network, train, test: null).EpochLosses;

        log.WriteLine($"losses {string.Join(" ", losses.Select(l => l.ToString("F6")))}");
        for (int i = 0; i < lesson.Length; i++)
            Assert.True(Math.Abs(losses[i] - lesson[i]) <= 1e-4, $"epoch {i + 1}: {losses[i]:F6}, the lesson's {lesson[i]:F4}");
    }

    static float[][] Weights(Sequential network) => network.parameters().Select(p => p.data<float>().ToArray()).ToArray();

    static void CopyWeights(Sequential from, Sequential to)
    {
        using var noGrad = no_grad();
        foreach (var (source, target) in from.parameters().Zip(to.parameters()))
            target.copy_(source);
    }

    static double MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => x.Zip(y, (u, v) => Math.Abs((double)u - v)).Max()).Max();
}
