using TorchSharp.Modules;

namespace MnistTrainer.Lesson;

/// <summary>The lesson's <c>model[0].weight</c>: the weights of the first Linear layer, [128, 784].</summary>
public static class FirstLayer
{
    public static Parameter Weight(Sequential model) => model.get_parameter("0.weight")
        ?? throw new ArgumentException("the network has no first layer weight (\"0.weight\")");
}
