using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// The gradient of a training step derived by hand instead of by autograd, for a <c>Sequential</c> of
/// Linear layers with a ReLU between each two and a LogSoftmax at the end (the lesson's network; the
/// sizes are read from its layers). No graph and no allocation: every intermediate lives in a buffer made
/// once. <see cref="Backward"/> writes the gradients into each parameter's <c>.grad</c>, exactly as
/// <c>loss.backward()</c> does, for the optimizer's step (<see cref="FusedUpdate"/>); <see cref="SgdStep"/>
/// folds plain SGD's update into the products instead.
/// </summary>
/// <remarks>
/// Notation for a batch of B images X = H0 [B, n0]; layer k = 1 … L has weight W_k [n_k, n_(k−1)] and bias
/// b_k [n_k]; C = n_L classes; label smoothing s (0 for the lesson); onehot(y) [B, C].
/// <code>
///   forward   Z_k = H_(k−1) W_kᵀ + b_k                       (Linear)
///             H_k = relu(Z_k)           for k &lt; L            (ReLU)
///             P = log_softmax(Z_L)                           (LogSoftmax over the classes)
///   loss      Q = (1 − s) onehot(y) + s / C                  (the smoothed target; s = 0: onehot)
///             L = −(1/B) Σᵢ Σ_c Q[i,c] P[i,c]                 (NLLLoss, or CrossEntropyLoss(label_smoothing = s))
///   backward  G_L = ∂L/∂Z_L = (exp(P) − Q) / B                (log_softmax's derivative, as each row of Q sums to 1)
///             ∂L/∂W_k = G_kᵀ H_(k−1)    ∂L/∂b_k = G_kᵀ 1      (Linear: the weight and bias gradients)
///             ∂L/∂H_(k−1) = G_k W_k                           (Linear: the input gradient; none for X)
///             G_(k−1) = ∂L/∂H_(k−1) ⊙ [H_(k−1) > 0]             (ReLU passes the gradient where its output is positive)
///   plain SGD W_k ← W_k − lr ∂L/∂W_k, b_k ← b_k − lr ∂L/∂b_k: folded into the weight-gradient products
///             (W_k += −lr G_kᵀ H_(k−1)); ∂L/∂H_(k−1) needs W_k before that, so it comes first.
/// </code>
/// The products are libtorch's (MKL), as autograd's: the forward as Linear does it (the bias copied in,
/// then addmm_), the gradients with addmm_/addmv_ into their buffers. The loss, G_L and ReLU's mask are
/// plain loops over the buffers' memory. ManualStepTests compares every gradient with autograd's.
/// </remarks>
public sealed class ManualStep : IDisposable
{
    readonly Layer[] layers;
    readonly float labelSmoothing;
    readonly Dictionary<int, Buffers> buffersByBatchSize = [];

    /// <param name="network">Linear (ReLU Linear)* LogSoftmax, as <see cref="Model.MnistNetwork"/> makes it (else ArgumentException); its weights are updated in place.</param>
    /// <param name="labelSmoothing">s above: 0 for NLLLoss.</param>
    public ManualStep(Sequential network, double labelSmoothing = 0)
    {
        layers = LinearLayers(network);
        this.labelSmoothing = (float)labelSmoothing;
    }

    /// <summary>
    /// Whether the settings are plain SGD, whose update <see cref="SgdStep"/> folds into the products: 11–13% less
    /// CPU an epoch than writing the gradients for libtorch's fused SGD kernel (docs/benchmarks.md, issue #21).
    /// </summary>
    public static bool FoldsUpdate(TrainingOptions options) =>
        options.Optimizer == OptimizerKind.Sgd && options.Momentum == 0 && options.WeightDecay == 0;

    /// <summary>
    /// Forward and backward on <paramref name="images"/> [B, n0] (float32) and <paramref name="labels"/> [B]
    /// (int64): writes ∂L/∂W and ∂L/∂b into the parameters' <c>.grad</c> (replacing what was there, as
    /// after <c>zero_grad</c>) for the optimizer's step; returns the batch's loss, as <c>loss.item()</c> would.
    /// </summary>
    public float Backward(Tensor images, Tensor labels) => Run(images, labels, minusLearningRate: null);

    /// <summary>One plain-SGD step, the update folded into the products (no <c>.grad</c> is written); returns the batch's loss.</summary>
    public float SgdStep(Tensor images, Tensor labels, double learningRate) => Run(images, labels, (float)-learningRate);

    float Run(Tensor images, Tensor labels, float? minusLearningRate)
    {
        int count = (int)images.shape[0];
        if (!buffersByBatchSize.TryGetValue(count, out var b))
            buffersByBatchSize[count] = b = new Buffers(count, layers);
        using var noGrad = no_grad(); // in-place updates of parameters; nothing is recorded
        int last = layers.Length - 1;

        var input = images;
        for (int k = 0; k <= last; k++)
        {
            var z = b.Outputs[k].copy_(b.BiasRows[k]).addmm_(input, layers[k].Wt); // Z = b + H Wᵀ, as Linear
            if (k < last) z.relu_(); // Z becomes H
            input = z;
        }
        float loss = LossAndGradient(Values(b.Outputs[last]), labels, count); // Z_L becomes G_L

        for (int k = last; k >= 0; k--)
        {
            var layer = layers[k];
            var layerInput = k > 0 ? b.Outputs[k - 1] : images;
            if (k > 0) b.Gradients[k - 1].addmm_(b.Gradients[k], layer.W, beta: 0); // ∂L/∂H_(k−1) = G_k W_k
            if (minusLearningRate is float alpha)
            {
                layer.W.addmm_(b.GradientsT[k], layerInput, beta: 1, alpha: alpha); // W −= lr G_kᵀ H_(k−1)
                layer.B.addmv_(b.GradientsT[k], b.Ones, beta: 1, alpha: alpha);    // b −= lr G_kᵀ 1
            }
            else
            {
                layer.WGrad.addmm_(b.GradientsT[k], layerInput, beta: 0); // ∂L/∂W_k = G_kᵀ H_(k−1)
                layer.BGrad.addmv_(b.GradientsT[k], b.Ones, beta: 0);     // ∂L/∂b_k = G_kᵀ 1
            }
            if (k > 0) ReluGradient(Values(b.Gradients[k - 1]), Values(b.Outputs[k - 1])); // → G_(k−1)
        }
        return loss;
    }

    /// <summary>
    /// Row by row: P = log_softmax(z) = z − max − log Σ exp(z − max); the loss −(1/B) Σ Q·P; and z
    /// overwritten with G_L = (exp(P) − Q) / B.
    /// </summary>
    float LossAndGradient(Span<float> z, Tensor labels, int count)
    {
        int classes = layers[^1].Outputs;
        ReadOnlySpan<long> targets = MemoryMarshal.Cast<byte, long>(labels.bytes);
        float s = labelSmoothing, spread = s / classes, onTarget = 1 - s + spread;
        double lossSum = 0; // in double: within a rounding of libtorch's float sum, whatever its order
        for (int i = 0; i < count; i++)
        {
            var row = z.Slice(i * classes, classes);
            int target = checked((int)targets[i]);
            if ((uint)target >= (uint)classes) throw new ArgumentException($"label {target} is not one of the {classes} classes", nameof(labels));
            float max = row[0];
            for (int c = 1; c < classes; c++) max = MathF.Max(max, row[c]);
            float sum = 0;
            for (int c = 0; c < classes; c++) sum += MathF.Exp(row[c] - max);
            float logSum = MathF.Log(sum);
            for (int c = 0; c < classes; c++)
            {
                float logP = row[c] - max - logSum, q = c == target ? onTarget : spread;
                if (q != 0) lossSum -= q * (double)logP;
                row[c] = (MathF.Exp(logP) - q) / count;
            }
        }
        return (float)(lossSum / count);
    }

    /// <summary>gradient[j] = 0 unless the ReLU's output[j] is positive (as autograd's threshold_backward): ReLU's derivative.</summary>
    static void ReluGradient(Span<float> gradient, ReadOnlySpan<float> output)
    {
        var gradients = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var outputs = MemoryMarshal.Cast<float, Vector<float>>(output);
        for (int i = 0; i < gradients.Length; i++)
            gradients[i] = Vector.ConditionalSelect(Vector.GreaterThan(outputs[i], Vector<float>.Zero), gradients[i], Vector<float>.Zero);
        for (int j = gradients.Length * Vector<float>.Count; j < gradient.Length; j++)
            if (!(output[j] > 0)) gradient[j] = 0;
    }

    /// <summary>The network's Linear layers, after checking that it is Linear (ReLU Linear)* LogSoftmax.</summary>
    static Layer[] LinearLayers(Sequential network)
    {
        var modules = network.children().ToArray();
        bool shaped = modules.Length >= 2 && modules.Length % 2 == 0 && modules[^1] is LogSoftmax { dim: 1 or -1 }
            && modules.SkipLast(1).Select((module, i) => i % 2 == 0 ? module is Linear { bias: not null } : module is ReLU).All(fits => fits);
        if (!shaped)
            throw new ArgumentException("the manual step computes Linear (ReLU Linear)* LogSoftmax networks only", nameof(network));
        var layers = modules.OfType<Linear>().Select(linear => new Layer(linear.weight!, linear.bias!)).ToArray();
        for (int k = 1; k < layers.Length; k++)
            if (layers[k].Inputs != layers[k - 1].Outputs)
                throw new ArgumentException($"layer {k + 1} takes {layers[k].Inputs} inputs but layer {k} gives {layers[k - 1].Outputs}", nameof(network));
        return layers;
    }

    public void Dispose()
    {
        foreach (var buffers in buffersByBatchSize.Values) buffers.Dispose();
        buffersByBatchSize.Clear();
        foreach (var layer in layers) layer.Dispose();
    }

    static Span<float> Values(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    /// <summary>
    /// A Linear layer's weight W [out, in], bias b [out], Wᵀ (a view, for the forward's product), and the
    /// gradient tensors, made once and set as the parameters' <c>.grad</c> (so the optimizer reads them).
    /// </summary>
    sealed class Layer : IDisposable
    {
        public Layer(Parameter weight, Parameter bias)
        {
            (W, B) = (weight, bias);
            using var scope = NewDisposeScope();
            Wt = weight.t().DetachFromDisposeScope();
            WGrad = zeros_like(weight).DetachFromDisposeScope();
            BGrad = zeros_like(bias).DetachFromDisposeScope();
            weight.grad = WGrad;
            bias.grad = BGrad;
        }

        public Parameter W { get; }
        public Parameter B { get; }
        public Tensor Wt { get; }
        public Tensor WGrad { get; }
        public Tensor BGrad { get; }
        public int Outputs => (int)W.shape[0];
        public int Inputs => (int)W.shape[1];

        /// <summary>Takes the gradients back from the parameters (as <c>zero_grad(set_to_none=True)</c>) and frees them.</summary>
        public void Dispose()
        {
            W.grad = null;
            B.grad = null;
            Wt.Dispose();
            WGrad.Dispose();
            BGrad.Dispose();
        }
    }

    /// <summary>
    /// The intermediates of a batch of one size, per layer: its output Z_k (then H_k, and for the last layer
    /// G_L) and, below the last, the gradient at its output (∂L/∂H_k, then G_k), with transposed views and
    /// the bias repeated for each row. libtorch allocates them (64-byte aligned: MKL's results can depend on
    /// the alignment, and a managed array's varies from run to run). A run has at most two batch sizes: the
    /// batch size and the last, smaller batch.
    /// </summary>
    sealed class Buffers : IDisposable
    {
        readonly List<Tensor> tensors = [];

        public Buffers(int count, Layer[] layers)
        {
            using var scope = NewDisposeScope();
            Outputs = [.. layers.Select(layer => Keep(empty(count, layer.Outputs)))];
            Gradients = [.. layers.SkipLast(1).Select(layer => Keep(empty(count, layer.Outputs))), Outputs[^1]];
            GradientsT = [.. Gradients.Select(gradient => Keep(gradient.t()))];
            BiasRows = [.. layers.Select(layer => Keep(layer.B.expand(count, layer.Outputs)))]; // views: they follow the updates
            Ones = Keep(ones(count));
        }

        public Tensor[] Outputs { get; }
        public Tensor[] Gradients { get; }
        public Tensor[] GradientsT { get; }
        public Tensor[] BiasRows { get; }
        public Tensor Ones { get; }

        Tensor Keep(Tensor tensor)
        {
            tensors.Add(tensor.DetachFromDisposeScope());
            return tensor;
        }

        public void Dispose()
        {
            foreach (var tensor in tensors) tensor.Dispose();
        }
    }
}
