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

    /// <summary>
    /// Layers are named "0" … "5" like the positions in PyTorch's <c>nn.Sequential</c>, so parameter
    /// names are those of the lesson's state_dict ("0.weight", "2.bias", …).
    /// </summary>
    public static Sequential Create() => DrawingFromTheGlobalGenerator(() => Sequential([.. LogitsLayers(), ("5", LogSoftmax(dim: 1))]));

    /// <summary>
    /// The lesson's first network: the same layers without the LogSoftmax, so it outputs logits (raw
    /// scores), which is what <c>CrossEntropyLoss</c> expects. Made in the same order, so the same seed
    /// gives it the same weights as <see cref="Create"/>.
    /// </summary>
    public static Sequential CreateLogits() => DrawingFromTheGlobalGenerator(() => Sequential(LogitsLayers()));

    /// <summary>A fresh <see cref="Create"/> network whose initial weights are fixed by the seed.</summary>
    public static Sequential Create(long seed) => Seeded(seed, Create);

    /// <summary>A fresh <see cref="CreateLogits"/> network whose initial weights are fixed by the seed (the same as <see cref="Create(long)"/>'s).</summary>
    public static Sequential CreateLogits(long seed) => Seeded(seed, CreateLogits);

    static readonly Lock GlobalGenerator = new();

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

    /// <summary>Seeds and draws under one hold of the lock (it is re-entrant: <paramref name="create"/> takes it again).</summary>
    static Sequential Seeded(long seed, Func<Sequential> create) => DrawingFromTheGlobalGenerator(() =>
    {
        manual_seed(seed);
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
