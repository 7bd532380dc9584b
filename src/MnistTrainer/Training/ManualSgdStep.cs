using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// One plain-SGD training step of the lesson's network with its gradient derived by hand instead of by
/// autograd: no graph, no gradient tensors, every intermediate in a buffer allocated once, and the SGD
/// update folded into the weight-gradient products. The same arithmetic as zero_grad, forward, NLLLoss,
/// backward and SGD.step (the test compares them step by step), with two libtorch calls (the ReLUs) instead
/// of 30 that allocate (15 with libtorch's products). Plain SGD only (see <see cref="Computes"/>): other settings take the autograd path.
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
///   SGD       W ← W − lr ∂L/∂W: the update folded into the weight-gradient product (W += −lr Gᵀ input), and
///             b += −lr Gᵀ 1. ∂L/∂H_k uses W_{k+1} before its update, so it is computed first.
/// </code>
/// The products are libtorch's (MKL), as autograd's: addmm_(Gᵀ, input, beta 1, alpha −lr) per weight, addmv_
/// per bias. The element-wise parts (ReLU's mask, log-softmax, the loss and G3 on 640 numbers) are plain
/// loops over the buffers' memory.
/// </remarks>
public sealed class ManualSgdStep : IDisposable
{
    readonly Layer layer1, layer2, layer3;
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
    /// <param name="learningRate">SGD's learning rate.</param>
    public ManualSgdStep(Sequential network, double learningRate)
    {
        var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        layer1 = new Layer(parameters["0.weight"], parameters["0.bias"]);
        layer2 = new Layer(parameters["2.weight"], parameters["2.bias"]);
        layer3 = new Layer(parameters["4.weight"], parameters["4.bias"]);
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
            buffersByBatchSize[count] = b = new Buffers(count, layer1.B, layer2.B, layer3.B);
        using var noGrad = no_grad(); // in-place updates of parameters; nothing is recorded

        Forward(layer1, images, b.B1Rows, b.Z1, count).relu_();
        Forward(layer2, b.Z1, b.B2Rows, b.Z2, count).relu_();
        Forward(layer3, b.Z2, b.B3Rows, b.Z3, count);
        float loss = LogSoftmaxLossAndGradient(b.Z3Values, labels, count);
        // Z1, Z2 now hold H1, H2 (after ReLU); Z3 holds G3.

        // Layer 3: ∂L/∂H2 = G3 W3 first (it needs W3 before the update), then W3 −= lr G3ᵀ H2, b3 −= lr G3ᵀ 1.
        InputGradient(layer3, b.Z3, b.DH2, count);
        Update(layer3, b.Z3, b.Z3t, b.Z2, b.Ones, count);
        ReluGradient(b.DH2Values, b.Z2Values); // DH2 → G2

        // Layer 2, the same way.
        InputGradient(layer2, b.DH2, b.DH1, count);
        Update(layer2, b.DH2, b.DH2t, b.Z1, b.Ones, count);
        ReluGradient(b.DH1Values, b.Z1Values); // DH1 → G1

        // Layer 1: the input needs no gradient.
        Update(layer1, b.DH1, b.DH1t, images, b.Ones, count);
        return loss;
    }

    /// <summary>Linear's forward into <paramref name="output"/>: output = bias + input · Wᵀ.</summary>
    Tensor Forward(Layer layer, Tensor input, Tensor biasRows, Tensor output, int count)
    {
        output.copy_(biasRows).addmm_(input, layer.Wt); // as Linear does it: the bias copied in, then += input · Wᵀ
        return output;
    }

    /// <summary>∂L/∂input = G W into <paramref name="output"/>, for the gradient G at the layer's output.</summary>
    void InputGradient(Layer layer, Tensor gradient, Tensor output, int count)
    {
        output.addmm_(gradient, layer.W, beta: 0);
    }

    /// <summary>The SGD update W −= lr Gᵀ input, b −= lr Gᵀ 1, for the gradient G at the layer's output.</summary>
    void Update(Layer layer, Tensor gradient, Tensor gradientT, Tensor input, Tensor ones, int count)
    {
        layer.W.addmm_(gradientT, input, beta: 1, alpha: minusLr);
        layer.B.addmv_(gradientT, ones, beta: 1, alpha: minusLr);
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
        layer1.Dispose();
        layer2.Dispose();
        layer3.Dispose();
    }

    static Span<float> Values(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    /// <summary>A Linear layer's weight W [out,in], bias b [out], and Wᵀ (a view, for libtorch's products).</summary>
    sealed class Layer(Tensor w, Tensor b) : IDisposable
    {
        public Tensor W { get; } = w;
        public Tensor B { get; } = b;
        public Tensor Wt { get; } = Transposed(w);
        public int Outputs { get; } = (int)w.shape[0];
        public int Inputs { get; } = (int)w.shape[1];

        static Tensor Transposed(Tensor w)
        {
            using var scope = NewDisposeScope();
            return w.t().DetachFromDisposeScope();
        }

        public void Dispose() => Wt.Dispose();
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
