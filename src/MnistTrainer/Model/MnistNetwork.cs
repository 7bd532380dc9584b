using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace MnistTrainer.Model;

/// <summary>The lesson's network: 784 → 128 → 64 → 10 with ReLUs and a log-softmax output.</summary>
public static class MnistNetwork
{
    public static readonly IReadOnlyList<int> LayerSizes = [784, 128, 64, 10];
    public const string Description = "Linear(784,128) ReLU Linear(128,64) ReLU Linear(64,10) LogSoftmax(dim=1)";

    /// <summary>
    /// Layers are named "0" … "5" like the positions in PyTorch's <c>nn.Sequential</c>, so parameter
    /// names are those of the lesson's state_dict ("0.weight", "2.bias", …).
    /// </summary>
    public static Sequential Create() => Sequential(
        ("0", Linear(784, 128)),
        ("1", ReLU()),
        ("2", Linear(128, 64)),
        ("3", ReLU()),
        ("4", Linear(64, 10)),
        ("5", LogSoftmax(dim: 1)));
}
