using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Lesson;

/// <summary>The lesson's six steps, each computed for real: the <c>lesson</c> command prints what they return.</summary>
public static class LessonSteps
{
    /// <summary>Step 1, "Perdas no PyTorch": <c>criterion = nn.CrossEntropyLoss()</c> on the logits of an untrained network.</summary>
    public static LossResult Loss(Sequential logitsModel, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        using var criterion = nn.CrossEntropyLoss();
        var logits = logitsModel.call(batch.Images);
        return new LossResult(criterion.call(logits, batch.Labels).item<float>(), (int)logits.shape[1]);
    }

    /// <summary>Step 2, the exercise: a network ending in <c>LogSoftmax(dim=1)</c> with <c>nn.NLLLoss()</c>.</summary>
    public static LogSoftmaxResult LogSoftmax(Sequential model, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        using var nll = nn.NLLLoss();
        using var crossEntropy = nn.CrossEntropyLoss();
        using var logitsModel = LogitsWithWeightsOf(model);
        var nllLoss = nll.call(model.call(batch.Images), batch.Labels).item<float>();
        var crossEntropyLoss = crossEntropy.call(logitsModel.call(batch.Images), batch.Labels).item<float>();
        return new LogSoftmaxResult(nllLoss, crossEntropyLoss);
    }

    /// <summary>Step 3, "Autograd", on <c>y = x**2</c>, <c>z = y.mean()</c>.</summary>
    public static AutogradResult Autograd(long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var x = randn([2, 2], requires_grad: true, generator: generator);
        var y = x.pow(2);
        var z = y.mean();
        bool hadGradientBefore = x.grad is not null;
        z.backward();

        bool requiresGradUnderNoGrad;
        using (no_grad())
            requiresGradUnderNoGrad = (x * 2).requires_grad;

        return new AutogradResult(
            TensorValues.From(x), TensorValues.From(y), y.requires_grad, y.is_leaf, z.item<float>(),
            hadGradientBefore, TensorValues.From(x.grad!), TensorValues.From(x.detach() / 2), requiresGradUnderNoGrad);
    }

    /// <summary>Step 4, "Perda e Autograd juntos": <c>model[0].weight.grad</c> around <c>loss.backward()</c>.</summary>
    public static GradientsResult Gradients(Sequential model, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        bool hadGradientBefore = FirstLayerWeight(model).grad is not null;
        var (loss, gradient) = LossAndGradient(model, batch);
        return new GradientsResult(hadGradientBefore, loss, gradient);
    }

    /// <summary>Step 5, "Treinando a rede!": zero_grad, forward, loss, backward, <c>optimizer.step()</c> with <c>optim.SGD</c>.</summary>
    public static SgdStepResult SgdStep(Sequential model, LessonBatch batch, double learningRate)
    {
        using var scope = NewDisposeScope();
        using var optimizer = optim.SGD(model.parameters(), learningRate);
        var before = TensorValues.From(FirstLayerWeight(model));
        optimizer.zero_grad();
        var (_, gradient) = LossAndGradient(model, batch);
        optimizer.step();
        return new SgdStepResult(before, gradient, TensorValues.From(FirstLayerWeight(model)), learningRate);
    }

    /// <summary>
    /// Step 6, "Treinamento de verdade": the full loop (<see cref="Trainer"/>) with the lesson's
    /// <c>loss.backward()</c> (<see cref="TrainingEngine.Autograd"/>), then one prediction as in the lesson.
    /// </summary>
    public static LessonTrainingResult Train(LabeledImages train, LabeledImages test, int imageIndex, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        using var trainTensors = new ImageTensors(train);
        using var network = Trainer.NewNetwork(options.Seed);
        var result = new Trainer(options) { Engine = TrainingEngine.Autograd }.Run(network, trainTensors, test: null, progress, cancel);
        // The lesson's ps = torch.exp(model(img)) under no_grad.
        var prediction = new Predictor(network).Predict(test.Image(imageIndex));
        return new LessonTrainingResult(result.EpochLosses, imageIndex, test.Labels[imageIndex], prediction);
    }

    /// <summary>The lesson's <c>model[0].weight</c>: the weights of the first Linear layer, [128, 784].</summary>
    public static Parameter FirstLayerWeight(Sequential model) => model.get_parameter("0.weight")
        ?? throw new ArgumentException("the network has no first layer weight (\"0.weight\")");

    /// <summary>The lesson's first network (without the LogSoftmax) with a copy of <paramref name="model"/>'s weights.</summary>
    public static Sequential LogitsWithWeightsOf(Sequential model)
    {
        var network = MnistNetwork.CreateLogits();
        using var scope = NewDisposeScope();
        network.load_state_dict(model.state_dict());
        return network;
    }

    /// <summary>
    /// The lesson's <c>loss = criterion(model(images), labels)</c> with <c>nn.NLLLoss()</c>, then
    /// <c>loss.backward()</c>: the loss, and the first layer's weight gradient copied out.
    /// </summary>
    static (double Loss, TensorValues Gradient) LossAndGradient(Sequential model, LessonBatch batch)
    {
        using var scope = NewDisposeScope();
        using var criterion = nn.NLLLoss();
        var loss = criterion.call(model.call(batch.Images), batch.Labels);
        loss.backward();
        return (loss.item<float>(), TensorValues.From(FirstLayerWeight(model).grad!));
    }
}

/// <summary>
/// The loss of an untrained network on one batch. <see cref="UniformGuessLoss"/> is what the loss is
/// when every class gets the same probability 1/N: −ln(1/N) = ln N (ln 10 ≈ 2.3026 for ten classes),
/// which is about what a network with small random weights does.
/// </summary>
public sealed record LossResult(double Loss, int ClassCount)
{
    public double UniformGuessLoss => Math.Log(ClassCount);
}

/// <summary>
/// NLLLoss on the log-softmax output, and CrossEntropyLoss on the logits of the same weights: the
/// same number, since CrossEntropyLoss is LogSoftmax followed by NLLLoss.
/// </summary>
public sealed record LogSoftmaxResult(double NllLoss, double CrossEntropyLoss)
{
    public const double Tolerance = 1e-6;
    public double Difference => Math.Abs(NllLoss - CrossEntropyLoss);
    public bool Equal => Difference <= Tolerance;
}

/// <summary>
/// What autograd does. TorchSharp 0.107 has no <c>grad_fn</c> (PyTorch prints <c>&lt;PowBackward0&gt;</c>);
/// what it does show is that y was made by a recorded operation: <see cref="YIsLeaf"/> false and
/// <see cref="YRequiresGrad"/> true.
/// </summary>
public sealed record AutogradResult(TensorValues X, TensorValues Y, bool YRequiresGrad, bool YIsLeaf, double Z,
    bool XHadGradientBefore, TensorValues XGradient, TensorValues XHalf, bool RequiresGradUnderNoGrad)
{
    public const double Tolerance = 1e-7;
    public double GradientDifference => XGradient.MaxDifference(XHalf);

    /// <summary>dz/dx = 2x/n with n = 4 elements, that is x/2.</summary>
    public bool GradientEqualsXHalf => GradientDifference <= Tolerance;
}

/// <summary>The first layer's weight gradient before <c>loss.backward()</c> (there is none) and after.</summary>
public sealed record GradientsResult(bool HadGradientBefore, double Loss, TensorValues GradientAfter);

/// <summary>The first layer's weights before and after one SGD step, and the gradient the step used.</summary>
public sealed record SgdStepResult(TensorValues Before, TensorValues Gradient, TensorValues After, double LearningRate)
{
    public const double Tolerance = 1e-7;

    /// <summary>
    /// What plain gradient descent gives, W′ = W − α·∂C/∂W, in float with one rounding (a fused
    /// multiply-add), as torch's vectorized <c>add_(grad, alpha: -lr)</c> does: on such CPUs the match is
    /// exact. <see cref="Tolerance"/> covers a torch build that rounds twice (one unit in the last place).
    /// </summary>
    public TensorValues Expected => Before with
    {
        Values = Before.Values.Select((w, i) => MathF.FusedMultiplyAdd(-(float)LearningRate, Gradient.Values[i], w)).ToArray(),
    };

    /// <summary>The largest |new − (old − lr·grad)| over all the weights of the layer.</summary>
    public double MaxDifference => After.MaxDifference(Expected);
    public bool MatchesGradientDescent => MaxDifference <= Tolerance;

    /// <summary>Flat indices of the <paramref name="count"/> weights with the largest gradients: the ones that move most.</summary>
    public IReadOnlyList<int> LargestGradients(int count) => Enumerable.Range(0, Gradient.Values.Length)
        .OrderByDescending(i => Math.Abs(Gradient.Values[i])).Take(count).ToList();
}

/// <summary>The loss of each epoch, and the trained network's prediction for one test image.</summary>
public sealed record LessonTrainingResult(IReadOnlyList<double> EpochLosses, int ImageIndex, int Label, Prediction Prediction);
