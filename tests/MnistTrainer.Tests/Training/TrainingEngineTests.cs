using MnistTrainer.Data;
using MnistTrainer.Training;
using Xunit.Abstractions;

namespace MnistTrainer.Tests.Training;

/// <summary>
/// The hand-derived step (the default) against autograd (the lesson's, the reference): for every optimizer
/// the trainer offers and every setting that changes the step, both engines train the same network on the
/// same real digits, and must end with the same weights (to 1e-5) and print the same epoch losses.
/// </summary>
/// <remarks>
/// The two differ by float roundings: about 1e-8 a gradient, and libtorch's fused update rounds a little
/// differently from TorchSharp's step. SGD carries that through unchanged (weights within 1e-7 here); Adam
/// divides each step by √v + 1e-8, so where a gradient comes within 1e-8 of zero its step moves by up to
/// lr·(rounding / 1e-8): with lr 1e-3, a few weights of 109,386 end 3.6e-6 apart. Over many steps at a high
/// rate, a ReLU that a rounding tips across zero makes any two implementations drift apart (Nesterov momentum
/// at 0.05 on these digits: 1e-4 after 43 steps), so each run is 2 epochs of 1,000 digits, 32 steps.
/// </remarks>
public class TrainingEngineTests(ITestOutputHelper log)
{
    static readonly IReadOnlyDictionary<string, TrainingOptions> Optimizers = new Dictionary<string, TrainingOptions>
    {
        ["sgd"] = new(Epochs: 2, LearningRate: 0.05, BatchSize: 64, Seed: 11),
        ["sgd momentum"] = new(2, 0.05, 64, 11, Momentum: 0.9),
        ["sgd nesterov weight-decay"] = new(2, 0.05, 64, 11, Momentum: 0.9, Nesterov: true, WeightDecay: 5e-4),
        ["adam"] = new(2, 1e-3, 64, 11, OptimizerKind.Adam),
        ["adam weight-decay beta1"] = new(2, 1e-3, 64, 11, OptimizerKind.Adam, Momentum: 0.8, WeightDecay: 1e-2),
        ["adamw weight-decay"] = new(2, 1e-3, 64, 11, OptimizerKind.AdamW, WeightDecay: 1e-2),
    };

    static readonly IReadOnlyDictionary<string, Func<TrainingOptions, TrainingOptions>> Settings = new Dictionary<string, Func<TrainingOptions, TrainingOptions>>
    {
        ["plain"] = o => o,
        ["label-smoothing"] = o => o with { LabelSmoothing = 0.1 },
        ["onecycle"] = o => o with { Schedule = ScheduleKind.OneCycle },
        ["cosine shift average"] = o => o with { Schedule = ScheduleKind.Cosine, Augment = Augmentation.Shift, AverageEpochs = 2 },
        ["step shift-flip best"] = o => o with { Schedule = ScheduleKind.Step, Augment = Augmentation.ShiftFlip, Validation = 300, Keep = KeepWeights.Best },
    };

    public static TheoryData<string, string> EveryOptimizerAndSetting()
    {
        var cases = new TheoryData<string, string>();
        foreach (var optimizer in Optimizers.Keys)
            foreach (var setting in Settings.Keys)
                cases.Add(optimizer, setting);
        return cases;
    }

    [Theory]
    [MemberData(nameof(EveryOptimizerAndSetting))]
    public void BothEnginesEndWithTheSameWeightsAndLosses(string optimizer, string setting) =>
        AssertSameRuns(Settings[setting](Optimizers[optimizer]), RealDatasets.Mnist.Slice(0, 1000));

    [Theory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    public void TheAccurateRecipesSettingsGiveTheSameWeightsAndLosses(string dataset) =>
        AssertSameRuns(Recipes.For(Recipes.Accurate, seed: 2, DatasetInfo.Find(dataset)!) with { Epochs = 2 }, RealDatasets.Mnist.Slice(0, 1000));

    void AssertSameRuns(TrainingOptions options, LabeledImages images)
    {
        var (autograd, autogradWeights) = Train(options, images, TrainingEngine.Autograd);
        var (manual, manualWeights) = Train(options, images, TrainingEngine.Manual);

        double weights = autogradWeights.Zip(manualWeights, (a, m) => Math.Abs((double)a - m)).Max();
        double losses = autograd.EpochLosses.Zip(manual.EpochLosses, (a, m) => Math.Abs(a - m)).Max();
        log.WriteLine($"largest difference: weight {weights:E2}, epoch loss {losses:E2}; losses {string.Join(" ", manual.EpochLosses.Select(l => l.ToString("F5")))}");
        Assert.True(weights <= 1e-5, $"a weight differs by {weights}");
        Assert.Equal(autograd.EpochLosses.Count, manual.EpochLosses.Count);
        Assert.True(losses <= 1e-5, $"an epoch's loss differs by {losses}");
        Assert.Equal(autograd.Chosen?.KeptEpoch, manual.Chosen?.KeptEpoch);
        Assert.Equal(autograd.Chosen?.AveragedEpochs, manual.Chosen?.AveragedEpochs);
    }

    static (TrainingResult Result, float[] Weights) Train(TrainingOptions options, LabeledImages images, TrainingEngine engine)
    {
        var (trainImages, validationImages) = options.Validation > 0 ? ValidationSplit.Split(images, options.Validation, options.Seed) : (images, null);
        using var train = new ImageTensors(trainImages);
        using var validation = validationImages != null ? new ImageTensors(validationImages) : null;
        using var network = Trainer.NewNetwork(options.Seed);
        var result = new Trainer(options) { Engine = engine }.Run(network, train, test: null, validation: validation);
        return (result, network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
    }
}
