using MnistTrainer.Training;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Training;

public class FusedUpdateTests(ITestOutputHelper log)
{
    public static TheoryData<string> Settings() => ["sgd momentum", "sgd nesterov weight-decay", "sgd weight-decay", "adam", "adam weight-decay", "adamw weight-decay"];

    static OptimizerHelper Create(string setting, IEnumerable<Parameter> parameters) => setting switch
    {
        "sgd momentum" => optim.SGD(parameters, 0.05, momentum: 0.9),
        "sgd nesterov weight-decay" => optim.SGD(parameters, 0.05, momentum: 0.9, weight_decay: 5e-4, nesterov: true),
        "sgd weight-decay" => optim.SGD(parameters, 0.05, weight_decay: 5e-4),
        "adam" => optim.Adam(parameters, 1e-3),
        "adam weight-decay" => optim.Adam(parameters, 1e-3, 0.8, weight_decay: 1e-2),
        _ => optim.AdamW(parameters, 1e-3, weight_decay: 1e-2),
    };

    /// <summary>Parameters of the lesson's shapes, with gradient tensors that each step refills in place (as ManualStep does).</summary>
    static Parameter[] Parameters(long seed)
    {
        using var generator = new Generator((ulong)seed);
        long[][] shapes = [[128, 784], [128], [64, 128], [64], [10, 64], [10]];
        var parameters = shapes.Select(shape => new Parameter(randn(shape, generator: generator))).ToArray();
        foreach (var p in parameters) p.grad = zeros_like(p);
        return parameters;
    }

    static void SetGradients(Parameter[] parameters, int step)
    {
        using var generator = new Generator((ulong)(100 + step));
        foreach (var p in parameters) p.grad!.copy_(randn(p.shape, generator: generator).mul_(0.01));
    }

    static double MaxDifference(Parameter[] a, Parameter[] b) => a.Zip(b, (x, y) => (x - y).abs().max().item<float>()).Max();

    [Theory]
    [MemberData(nameof(Settings))]
    public void StepsAsTorchSharpsOptimizer(string setting)
    {
        var reference = Parameters(1);
        var fused = Parameters(1);
        using var referenceOptimizer = Create(setting, reference);
        using var fusedOptimizer = Create(setting, fused);
        using var update = new FusedUpdate(fusedOptimizer);
        double worst = 0;
        for (int step = 0; step < 20; step++)
        {
            SetGradients(reference, step);
            SetGradients(fused, step);
            Optimizers.SetLearningRate(referenceOptimizer, 0.001 * (step + 1)); // a schedule: the rate the group has at each step
            Optimizers.SetLearningRate(fusedOptimizer, 0.001 * (step + 1));
            referenceOptimizer.step();
            update.Step();
            worst = Math.Max(worst, MaxDifference(reference, fused));
        }
        log.WriteLine($"{setting}: largest difference over 20 steps {worst:E2}");
        Assert.True(worst <= 1e-6, $"a weight differs by {worst}");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void LeavesItsStateInTheOptimizerSoAnotherCanContinue(string setting)
    {
        // Five fused steps, the optimizer's state saved (as a checkpoint does) and loaded into a fresh TorchSharp
        // optimizer, which continues: the same weights as five more fused steps.
        var fused = Parameters(2);
        using var fusedOptimizer = Create(setting, fused);
        using var update = new FusedUpdate(fusedOptimizer);
        for (int step = 0; step < 5; step++)
        {
            SetGradients(fused, step);
            update.Step();
        }
        var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true)) fusedOptimizer.save_state_dict(writer);
        var resumed = fused.Select(p => new Parameter(p.detach().clone())).ToArray();
        foreach (var p in resumed) p.grad = zeros_like(p);
        using var resumedOptimizer = Create(setting, resumed);
        saved.Position = 0;
        using (var reader = new BinaryReader(saved)) resumedOptimizer.load_state_dict(reader);

        for (int step = 5; step < 10; step++)
        {
            SetGradients(fused, step);
            SetGradients(resumed, step);
            update.Step();
            resumedOptimizer.step();
        }
        Assert.True(MaxDifference(fused, resumed) <= 1e-6);
    }

    [Fact]
    public void RefusesWhatNoFusedKernelDoes()
    {
        var parameters = Parameters(3);
        using var amsgrad = optim.Adam(parameters, 1e-3, amsgrad: true);
        using var dampened = optim.SGD(parameters, 0.01, momentum: 0.9, dampening: 0.1);
        using var rmsprop = optim.RMSProp(parameters);
        Assert.Throws<ArgumentException>(() => new FusedUpdate(amsgrad));
        Assert.Throws<ArgumentException>(() => new FusedUpdate(dampened));
        Assert.Throws<ArgumentException>(() => new FusedUpdate(rmsprop));
    }
}
