using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MnistTrainer.Model;

/// <summary>The lesson's network: 784 → 128 → 64 → 10 with ReLUs and a log-softmax output.</summary>
public static class MnistNetwork
{
    public static readonly IReadOnlyList<int> LayerSizes = [784, 128, 64, 10];
    public const string LogitsDescription = "Linear(784,128) ReLU Linear(128,64) ReLU Linear(64,10)";
    public const string Description = LogitsDescription + " LogSoftmax(dim=1)";
    static readonly Lock GlobalGenerator = new();

    /// <summary>
    /// A fresh network, whose initial weights are fixed by <paramref name="seed"/> when one is given. Layers are named
    /// "0" … "5" like the positions in PyTorch's <c>nn.Sequential</c>, so parameter names are those of the lesson's
    /// state_dict ("0.weight", "2.bias", …).
    /// </summary>
    public static Sequential Create(long? seed = null) => Seeded(seed, () => Sequential([.. LogitsLayers(), ("5", LogSoftmax(dim: 1))]));

    /// <summary>
    /// The lesson's first network: the same layers without the LogSoftmax, so it outputs logits (raw
    /// scores), which is what <c>CrossEntropyLoss</c> expects. Made in the same order, so the same seed
    /// gives it the same weights as <see cref="Create"/>.
    /// </summary>
    public static Sequential CreateLogits(long? seed = null) => Seeded(seed, () => Sequential(LogitsLayers()));

    /// <summary>
    /// Runs <paramref name="draw"/> under the lock every network creation here takes. Layers draw their
    /// initial weights from libtorch's one global generator, so any other module made between a seeding and
    /// its drawing (on another thread: the tests run in parallel in one process; serve loads models) would
    /// take the seeded numbers. Code that makes modules of its own makes them through this.
    /// </summary>
    public static T DrawingFromTheGlobalGenerator<T>(Func<T> draw)
    {
        lock (GlobalGenerator) return draw();
    }

    /// <summary>Seeds (when given) and draws under one hold of the lock.</summary>
    static Sequential Seeded(long? seed, Func<Sequential> create) => DrawingFromTheGlobalGenerator(() =>
    {
        if (seed is long value) manual_seed(value);
        return create();
    });

    static (string, Module<Tensor, Tensor>)[] LogitsLayers() =>
    [
        ("0", Linear(LayerSizes[0], LayerSizes[1])),
        ("1", ReLU()),
        ("2", Linear(LayerSizes[1], LayerSizes[2])),
        ("3", ReLU()),
        ("4", Linear(LayerSizes[2], LayerSizes[3])),
    ];
}

/// <summary>
/// The lesson's <c>ToTensor()</c> + <c>Normalize([0.5], [0.5])</c>: bytes to [0, 1], then to [-1, 1].
/// Done in the same two steps as torchvision so the floats match PyTorch's bit for bit.
/// </summary>
public static class InputNormalization
{
    public const double Mean = 0.5;
    public const double Std = 0.5;

    /// <summary>Bytes [N, 784] (uint8) to normalized floats [N, 784].</summary>
    public static Tensor Apply(Tensor pixels) =>
        pixels.to_type(ScalarType.Float32).div_(255).sub_(Mean).div_(Std);

    /// <summary>
    /// What <see cref="Apply"/> makes of each byte value 0–255, computed by <see cref="Apply"/> itself, so
    /// a lookup in this table gives exactly the same floats.
    /// </summary>
    public static float[] Table()
    {
        using var scope = NewDisposeScope();
        return Apply(arange(256, ScalarType.Byte)).data<float>().ToArray();
    }
}
