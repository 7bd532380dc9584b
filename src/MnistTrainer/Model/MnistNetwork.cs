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
    public static Sequential Create() => Sequential([.. LogitsLayers(), ("5", LogSoftmax(dim: 1))]);

    /// <summary>
    /// The lesson's first network: the same layers without the LogSoftmax, so it outputs logits (raw
    /// scores), which is what <c>CrossEntropyLoss</c> expects. Made in the same order, so the same seed
    /// gives it the same weights as <see cref="Create"/>.
    /// </summary>
    public static Sequential CreateLogits() => Sequential(LogitsLayers());

    static (string, Module<Tensor, Tensor>)[] LogitsLayers() =>
    [
        ("0", Linear(LayerSizes[0], LayerSizes[1])),
        ("1", ReLU()),
        ("2", Linear(LayerSizes[1], LayerSizes[2])),
        ("3", ReLU()),
        ("4", Linear(LayerSizes[2], LayerSizes[3])),
    ];
}
