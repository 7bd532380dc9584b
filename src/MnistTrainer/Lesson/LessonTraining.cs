using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Training;

namespace MnistTrainer.Lesson;

/// <summary>The loss of each epoch, and the trained network's prediction for one test image.</summary>
public sealed record LessonTrainingResult(IReadOnlyList<double> EpochLosses, int ImageIndex, int Label, Prediction Prediction);

/// <summary>
/// Step 6, "Treinamento de verdade": the full loop (<see cref="Trainer"/>) with the lesson's
/// <c>loss.backward()</c> (<see cref="TrainingEngine.Autograd"/>), then one prediction as in the lesson.
/// </summary>
public static class LessonTraining
{
    public static LessonTrainingResult Run(LabeledImages train, LabeledImages test, int imageIndex, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        using var trainTensors = new ImageTensors(train);
        using var network = Trainer.NewNetwork(options.Seed);
        var result = new Trainer(options) { Engine = TrainingEngine.Autograd }.Run(network, trainTensors, test: null, progress, cancel);
        // The lesson's ps = torch.exp(model(img)) under no_grad.
        var prediction = new Predictor(network).Predict(test.Image(imageIndex));
        return new LessonTrainingResult(result.EpochLosses, imageIndex, test.Labels[imageIndex], prediction);
    }
}
