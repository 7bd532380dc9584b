using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// One plain-SGD training step of the lesson's network with its gradient derived by hand instead of by
/// autograd: no graph, no gradient tensors, every intermediate in a buffer allocated once, and the SGD
/// update folded into the weight-gradient products. The same arithmetic as zero_grad, forward, NLLLoss,
/// backward and SGD.step (the test compares them step by step), in about 15 libtorch calls instead of 30
/// that allocate nothing but TorchSharp's wrappers. Plain SGD only (see <see cref="Computes"/>): other settings take the autograd path.
/// </summary>
/// <remarks>
/// Notation for a batch of B images X [B,784]; layer k has weight W_k [out,in] and bias b_k [out]:
/// <code>
///   forward   Z1 = X W1ᵀ + b1    H1 = relu(Z1)              (Linear 784→128, ReLU)
///             Z2 = H1 W2ᵀ + b2   H2 = relu(Z2)              (Linear 128→64, ReLU)
///             Z3 = H2 W3ᵀ + b3   P = log_softmax(Z3)        (Linear 64→10, LogSoftmax)
///   loss      L = −(1/B) Σᵢ P[i, yᵢ]                         (NLLLoss, mean)
///   backward  ∂L/∂Z3 = (exp(P) − onehot(y)) / B   =: G3      (log_softmax + NLL: softmax minus target)
///             ∂L/∂W3 = G3ᵀ H2    ∂L/∂b3 = G3ᵀ 1    ∂L/∂H2 = G3 W3
///             G2 = ∂L/∂H2 ⊙ [H2 > 0]                          (ReLU passes the gradient where its output is positive)
///             ∂L/∂W2 = G2ᵀ H1    ∂L/∂b2 = G2ᵀ 1    ∂L/∂H1 = G2 W2
///             G1 = ∂L/∂H1 ⊙ [H1 > 0]
///             ∂L/∂W1 = G1ᵀ X     ∂L/∂b1 = G1ᵀ 1               (X needs no gradient)
///   SGD       W ← W − lr ∂L/∂W: one addmm_(Gᵀ, input, beta 1, alpha −lr) per weight, addmv_(Gᵀ, 1, beta 1,
///             alpha −lr) per bias. ∂L/∂H_k uses W_{k+1} before its update, so it is computed first.
/// </code>
/// The products and bias additions are libtorch's (MKL), as autograd's; the element-wise parts (ReLU's
/// mask, log-softmax, the loss and G3 on 640 numbers) are plain loops over the buffers' memory.
/// </remarks>
public sealed class ManualSgdStep : IDisposable
{
    readonly Tensor w1, b1, w2, b2, w3, b3;
    readonly Tensor w1t, w2t, w3t;
    readonly float minusLr;
    readonly Dictionary<int, Buffers> buffersByBatchSize = [];

    /// <summary>
    /// Whether <paramref name="options"/> are plain SGD, the only step this class computes: a constant learning rate,
    /// no momentum, weight decay or label smoothing (augmentation only changes the images, so it may be on).
    /// </summary>
    public static bool Computes(TrainingOptions options) =>
        options.Optimizer == OptimizerKind.Sgd && options.Momentum == 0 && options.WeightDecay == 0
        && options.LabelSmoothing == 0 && options.Schedule == ScheduleKind.Constant;

    /// <param name="network">The lesson's network (<see cref="Model.MnistNetwork"/>); its weights are updated in place.</param>
    public ManualSgdStep(Sequential network, double learningRate)
    {
        var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        (w1, b1) = (parameters["0.weight"], parameters["0.bias"]);
        (w2, b2) = (parameters["2.weight"], parameters["2.bias"]);
        (w3, b3) = (parameters["4.weight"], parameters["4.bias"]);
        using (NewDisposeScope())
        {
            w1t = w1.t().DetachFromDisposeScope();
            w2t = w2.t().DetachFromDisposeScope();
            w3t = w3.t().DetachFromDisposeScope();
        }
        minusLr = (float)-learningRate;
    }

    /// <summary>
    /// One step on <paramref name="images"/> [B, 784] (float32) and <paramref name="labels"/> [B] (int64):
    /// updates the weights and returns the batch's mean NLL loss, as <c>loss.item()</c> would.
    /// </summary>
    public float Step(Tensor images, Tensor labels)
    {
        int count = (int)images.shape[0];
        if (!buffersByBatchSize.TryGetValue(count, out var b))
            buffersByBatchSize[count] = b = new Buffers(count, b1, b2, b3);
        using var noGrad = no_grad(); // in-place updates of parameters; nothing is recorded

        // Forward, as Linear does it: the bias copied into the output, then output += input · Wᵀ.
        b.Z1.copy_(b.B1Rows).addmm_(images, w1t).relu_();
        b.Z2.copy_(b.B2Rows).addmm_(b.Z1, w2t).relu_();
        b.Z3.copy_(b.B3Rows).addmm_(b.Z2, w3t);
        float loss = LogSoftmaxLossAndGradient(b.Z3Values, labels, count);
        // Z1, Z2 now hold H1, H2 (after ReLU); Z3 holds G3.

        // Layer 3: ∂L/∂H2 = G3 W3 first (it needs W3 before the update), then W3 −= lr G3ᵀ H2, b3 −= lr G3ᵀ 1.
        b.DH2.addmm_(b.Z3, w3, beta: 0);
        w3.addmm_(b.Z3t, b.Z2, beta: 1, alpha: minusLr);
        b3.addmv_(b.Z3t, b.Ones, beta: 1, alpha: minusLr);
        ReluGradient(b.DH2Values, b.Z2Values); // DH2 → G2

        // Layer 2, the same way.
        b.DH1.addmm_(b.DH2, w2, beta: 0);
        w2.addmm_(b.DH2t, b.Z1, beta: 1, alpha: minusLr);
        b2.addmv_(b.DH2t, b.Ones, beta: 1, alpha: minusLr);
        ReluGradient(b.DH1Values, b.Z1Values); // DH1 → G1

        // Layer 1: the input needs no gradient.
        w1.addmm_(b.DH1t, images, beta: 1, alpha: minusLr);
        b1.addmv_(b.DH1t, b.Ones, beta: 1, alpha: minusLr);
        return loss;
    }

    /// <summary>
    /// Row by row: P = log_softmax(z) = z − max − log Σ exp(z − max); the loss −(1/B) Σ P[i, yᵢ]; and z
    /// overwritten with G3 = (exp(P) − onehot(y)) / B.
    /// </summary>
    static float LogSoftmaxLossAndGradient(Span<float> z, Tensor labels, int count)
    {
        const int Classes = 10;
        ReadOnlySpan<long> targets = MemoryMarshal.Cast<byte, long>(labels.bytes);
        double lossSum = 0; // in double: within a rounding of libtorch's float sum, whatever its order
        for (int i = 0; i < count; i++)
        {
            var row = z.Slice(i * Classes, Classes);
            float max = row[0];
            for (int k = 1; k < Classes; k++) max = MathF.Max(max, row[k]);
            float sum = 0;
            for (int k = 0; k < Classes; k++) sum += MathF.Exp(row[k] - max);
            float logSum = MathF.Log(sum);
            int target = checked((int)targets[i]);
            for (int k = 0; k < Classes; k++)
            {
                float logP = row[k] - max - logSum;
                if (k == target) lossSum -= logP;
                row[k] = (MathF.Exp(logP) - (k == target ? 1 : 0)) / count;
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

    public void Dispose()
    {
        foreach (var buffers in buffersByBatchSize.Values) buffers.Dispose();
        buffersByBatchSize.Clear();
        w1t.Dispose();
        w2t.Dispose();
        w3t.Dispose();
    }

    /// <summary>
    /// The intermediates of a batch of one size. libtorch allocates them (64-byte aligned: MKL's results
    /// can depend on the alignment, and a managed array's varies from run to run); the loops above work
    /// on their memory in place. A run has at most two sizes: the batch size and the last, smaller batch.
    /// </summary>
    sealed class Buffers : IDisposable
    {
        readonly List<Tensor> tensors = [];

        public Buffers(int count, Tensor b1, Tensor b2, Tensor b3)
        {
            using var scope = NewDisposeScope();
            Z1 = Keep(empty(count, 128)); Z2 = Keep(empty(count, 64)); Z3 = Keep(empty(count, 10));
            DH1 = Keep(empty(count, 128)); DH2 = Keep(empty(count, 64));
            Z3t = Keep(Z3.t()); DH2t = Keep(DH2.t()); DH1t = Keep(DH1.t());
            B1Rows = Keep(b1.expand(count, 128)); B2Rows = Keep(b2.expand(count, 64)); B3Rows = Keep(b3.expand(count, 10));
            Ones = Keep(ones(count));
        }

        public Tensor Z1 { get; }
        public Tensor Z2 { get; }
        public Tensor Z3 { get; }
        public Tensor DH1 { get; }
        public Tensor DH2 { get; }
        public Tensor Z3t { get; }
        public Tensor DH2t { get; }
        public Tensor DH1t { get; }
        /// <summary>The biases repeated for each row (views: they follow the updates).</summary>
        public Tensor B1Rows { get; }
        public Tensor B2Rows { get; }
        public Tensor B3Rows { get; }
        public Tensor Ones { get; }
        public Span<float> Z1Values => Values(Z1);
        public Span<float> Z2Values => Values(Z2);
        public Span<float> Z3Values => Values(Z3);
        public Span<float> DH1Values => Values(DH1);
        public Span<float> DH2Values => Values(DH2);

        static Span<float> Values(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

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
