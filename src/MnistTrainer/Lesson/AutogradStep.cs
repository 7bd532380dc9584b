using TorchSharp;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>
/// What autograd does on <c>y = x**2</c>, <c>z = y.mean()</c>. TorchSharp 0.107 has no <c>grad_fn</c>
/// (PyTorch prints <c>&lt;PowBackward0&gt;</c>); what it does show is that y was made by a recorded
/// operation: <see cref="YIsLeaf"/> false and <see cref="YRequiresGrad"/> true.
/// </summary>
public sealed record AutogradResult(
    TensorValues X,
    TensorValues Y,
    bool YRequiresGrad,
    bool YIsLeaf,
    double Z,
    bool XHadGradientBefore,
    TensorValues XGradient,
    TensorValues XHalf,
    bool RequiresGradUnderNoGrad)
{
    public const double Tolerance = 1e-7;
    public double GradientDifference => XGradient.MaxDifference(XHalf);

    /// <summary>dz/dx = 2x/n with n = 4 elements, that is x/2.</summary>
    public bool GradientEqualsXHalf => GradientDifference <= Tolerance;
}

/// <summary>Step 3, "Autograd".</summary>
public static class AutogradStep
{
    public static AutogradResult Run(long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var x = randn([2, 2], requires_grad: true, generator: generator);
        var y = x.pow(2);
        var z = y.mean();
        bool hadGradientBefore = x.grad is not null;
        z.backward();
        var xGradient = x.grad ?? throw new InvalidOperationException("backward() left no gradient on x");

        bool requiresGradUnderNoGrad;
        using (no_grad())
            requiresGradUnderNoGrad = (x * 2).requires_grad;

        return new AutogradResult(
            TensorValues.From(x), TensorValues.From(y), y.requires_grad, y.is_leaf, z.item<float>(),
            hadGradientBefore, TensorValues.From(xGradient), TensorValues.From(x.detach() / 2), requiresGradUnderNoGrad);
    }
}
