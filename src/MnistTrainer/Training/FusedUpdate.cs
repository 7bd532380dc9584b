using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// A TorchSharp optimizer's step done by libtorch's fused kernels, those PyTorch runs for
/// <c>SGD(fused=True)</c>, <c>Adam(fused=True)</c> and <c>AdamW(fused=True)</c>: PyTorch's update rules, not
/// ours, in one pass over each tensor. TorchSharp's own step does each rule as 4–11 tensor operations per
/// parameter, with temporaries: 70–280 µs a step for the lesson's six tensors against 20–80 µs fused
/// (docs/benchmarks.md, <c>Probe optimizers</c>), beside a step's 400 µs of forward and backward. The
/// hyperparameters, the learning rate the schedule sets, and the state (momentum buffers, Adam's moments
/// and step counts) are the TorchSharp optimizer's own, read and written in place: its checkpoints and
/// resuming are unchanged, and either engine can continue the other's run.
/// </summary>
public sealed class FusedUpdate : IDisposable
{
    /// <summary>TorchScript is the way to reach these kernels from .NET: TorchSharp has no binding for them.</summary>
    /// <remarks>TorchScript's parser fails on a script whose last line does not end (hence the empty last line).</remarks>
    const string Kernels = """
        def sgd(params: List[Tensor], grads: List[Tensor], buffers: List[Tensor], lr: float, momentum: float, weight_decay: float, nesterov: bool):
            torch._fused_sgd_(params, grads, buffers, weight_decay=weight_decay, momentum=momentum, lr=lr, dampening=0.0, nesterov=nesterov, maximize=False, is_first_step=False)

        def adam(params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor], steps: List[Tensor], lr: float, beta1: float, beta2: float, weight_decay: float, eps: float, decoupled: bool):
            torch._foreach_add_(steps, 1)
            if decoupled:
                torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
            else:
                torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)

        """;

    readonly OptimizerHelper optimizer;
    readonly jit.CompilationUnit kernels = jit.compile(Kernels);
    /// <summary>The wrappers this class made (of the gradients, the step counts); the rest is the optimizer's.</summary>
    readonly List<Tensor> owned = [];
    Tensor[] parameters = [], gradients = [], buffers = [], exponentialAverages = [], squareAverages = [], steps = [];
    Adam.State[]? adamStates;
    AdamW.State[]? adamWStates;

    /// <param name="optimizer">An <see cref="optim.SGD"/> without dampening, <see cref="optim.Adam"/> or <see cref="optim.AdamW"/>,
    /// without amsgrad or maximize, over parameters whose <c>.grad</c> the caller fills before each <see cref="Step"/>.</param>
    public FusedUpdate(OptimizerHelper optimizer)
    {
        this.optimizer = optimizer;
        bool supported = optimizer switch
        {
            SGD => Options<SGD.Options>() is { dampening: 0, maximize: false },
            Adam => Options<Adam.Options>() is { amsgrad: false, maximize: false },
            AdamW => Options<AdamW.Options>() is { amsgrad: false, maximize: false },
            _ => false,
        };
        if (!supported) throw new ArgumentException($"no fused kernel does this {optimizer.GetType().Name}'s step", nameof(optimizer));
    }

    /// <summary>The optimizer's step on the gradients in the parameters' <c>.grad</c>, at its parameter group's current learning rate.</summary>
    public void Step()
    {
        if (parameters.Length == 0) TakeState(); // at the first step: after a resumed run's state has been loaded
        switch (optimizer)
        {
            case SGD:
                var sgd = Options<SGD.Options>();
                kernels.invoke("sgd", parameters, gradients, buffers, sgd.LearningRate!.Value, sgd.momentum!.Value, sgd.weight_decay!.Value, sgd.nesterov!.Value);
                break;
            case Adam:
                var adam = Options<Adam.Options>();
                foreach (var state in adamStates!) state.step++;
                kernels.invoke("adam", parameters, gradients, exponentialAverages, squareAverages, steps,
                    adam.LearningRate!.Value, adam.beta1!.Value, adam.beta2!.Value, adam.weight_decay!.Value, adam.eps!.Value, false);
                break;
            case AdamW:
                var adamW = Options<AdamW.Options>();
                foreach (var state in adamWStates!) state.step++;
                kernels.invoke("adam", parameters, gradients, exponentialAverages, squareAverages, steps,
                    adamW.LearningRate!.Value, adamW.beta1!.Value, adamW.beta2!.Value, adamW.weight_decay!.Value, adamW.eps!.Value, true);
                break;
        }
    }

    /// <summary>The optimizer's parameters, their gradients and its state tensors, in its order.</summary>
    void TakeState()
    {
        using var scope = NewDisposeScope();
        parameters = [.. optimizer.parameters()];
        gradients = [.. optimizer.parameters().Select(p => Keep(p.grad ?? throw new InvalidOperationException("a parameter has no gradient")))];
        var states = optimizer.state_dict().State;
        switch (optimizer)
        {
            case SGD when Options<SGD.Options>().momentum > 0:
                var sgdStates = states.Cast<SGD.State>().ToArray();
                // A zero buffer's first update is the gradient, as PyTorch's first step makes it (dampening 0).
                foreach (var (state, parameter) in sgdStates.Zip(parameters))
                    state.momentum_buffer ??= zeros_like(parameter).DetachFromDisposeScope();
                buffers = [.. sgdStates.Select(s => s.momentum_buffer)];
                break;
            case Adam:
                adamStates = [.. states.Cast<Adam.State>()];
                (exponentialAverages, squareAverages) = ([.. adamStates.Select(s => s.exp_avg)], [.. adamStates.Select(s => s.exp_avg_sq)]);
                steps = [.. adamStates.Select(s => Keep(tensor((float)s.step)))];
                break;
            case AdamW:
                adamWStates = [.. states.Cast<AdamW.State>()];
                (exponentialAverages, squareAverages) = ([.. adamWStates.Select(s => s.exp_avg)], [.. adamWStates.Select(s => s.exp_avg_sq)]);
                steps = [.. adamWStates.Select(s => Keep(tensor((float)s.step)))];
                break;
        }
    }

    T Options<T>() where T : OptimizerOptions => (T)optimizer.ParamGroups.Cast<ParamGroup>().Single().Options;

    Tensor Keep(Tensor tensor)
    {
        owned.Add(tensor.DetachFromDisposeScope());
        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in owned) tensor.Dispose();
        kernels.Dispose();
    }
}
