using MnistTrainer.Data;
using MnistTrainer.Lesson;
using MnistTrainer.Model;
using MnistTrainer.Resources;
using MnistTrainer.Training;
using static MnistTrainer.Cli.Language;

namespace MnistTrainer.Cli;

/// <summary>
/// Writes the lesson's results much as the lesson prints them, in the language of the UI culture
/// (see <see cref="Language"/>). Code is shown as the lesson writes it, in PyTorch's words.
/// </summary>
public sealed class LessonReport(TextWriter output) : IProgress<TrainingProgress>
{
    public void Seed(long seed) => output.WriteLine(Format(Strings.LessonSeed, seed));

    public void Batch(LessonBatch batch) => output.WriteLine(Format(Strings.LessonBatch, batch.Images.shape[0], batch.Images.shape[1]));

    public void Loss(LossResult result)
    {
        output.WriteLine(Format(Strings.LessonLogitsNetwork, MnistNetwork.LogitsDescription));
        output.WriteLine(Format(Strings.LessonCrossEntropyLoss, result.Loss));
        output.WriteLine(Format(Strings.LessonWhyLn10, result.ClassCount, result.UniformGuessLoss));
    }

    public void LogSoftmax(LogSoftmaxResult result)
    {
        output.WriteLine(Format(Strings.LessonNllLoss, result.NllLoss));
        output.WriteLine(Format(Strings.LessonSameWeightsCrossEntropy, result.CrossEntropyLoss));
        Check(Format(Strings.LessonCheckNllEqualsCrossEntropy, LogSoftmaxResult.Tolerance, result.Difference), result.Equal);
    }

    public void Autograd(AutogradResult result)
    {
        output.WriteLine("x = torch.randn(2, 2, requires_grad=True)");
        output.WriteLine(TensorText.Format(result.X));
        output.WriteLine("y = x**2");
        output.WriteLine(TensorText.Format(result.Y));
        output.WriteLine(Format(Strings.LessonGradFn, Python(result.YIsLeaf), Python(result.YRequiresGrad)));
        output.WriteLine("z = y.mean()");
        output.WriteLine(Format("{0:0.0000}", result.Z));
        output.WriteLine(Format(Strings.LessonXGradBefore, NoneOrNot(result.XHadGradientBefore)));
        output.WriteLine("z.backward()");
        output.WriteLine("x.grad");
        output.WriteLine(TensorText.Format(result.XGradient));
        output.WriteLine("x/2");
        output.WriteLine(TensorText.Format(result.XHalf));
        Check(Format(Strings.LessonCheckGradEqualsXHalf, result.GradientDifference), result.GradientEqualsXHalf);
        output.WriteLine("with torch.no_grad(): (x * 2).requires_grad = " + Python(result.RequiresGradUnderNoGrad));
        Check(Strings.LessonCheckNoGrad, !result.RequiresGradUnderNoGrad);
    }

    public void Gradients(GradientsResult result)
    {
        output.WriteLine(Format(Strings.LessonLoss, result.Loss));
        output.WriteLine(Format(Strings.LessonBeforeBackward, NoneOrNot(result.HadGradientBefore)));
        output.WriteLine("loss.backward()");
        output.WriteLine(Format(Strings.LessonAfterBackward, TensorText.Shape(result.GradientAfter)));
        output.WriteLine(TensorText.Format(result.GradientAfter));
        Check(Strings.LessonCheckGradientAppears, !result.HadGradientBefore);
    }

    public void SgdStep(SgdStepResult result)
    {
        output.WriteLine(Format("optimizer = optim.SGD(model.parameters(), lr={0})", result.LearningRate));
        output.WriteLine(Strings.LessonInitialWeights);
        output.WriteLine(TensorText.Format(result.Before));
        output.WriteLine(Strings.LessonGradient);
        output.WriteLine(TensorText.Format(result.Gradient));
        output.WriteLine("optimizer.step()");
        output.WriteLine(Strings.LessonUpdatedWeights);
        output.WriteLine(TensorText.Format(result.After));
        output.WriteLine();
        output.WriteLine(Strings.LessonLargestGradients);
        output.WriteLine(Format("  {0,-18} {1,12} {2,12} {3,12} {4,16}", Strings.LessonWeight, Strings.LessonOld, Strings.LessonGradientColumn, Strings.LessonNew, Strings.LessonExpected));
        long columns = result.Before.Shape[1];
        var expected = result.Expected;
        foreach (int i in result.LargestGradients(5))
            output.WriteLine(Format("  {0,-18} {1,12:F8} {2,12:F8} {3,12:F8} {4,16:F8}", $"weight[{i / columns}, {i % columns}]",
                result.Before.Values[i], result.Gradient.Values[i], result.After.Values[i], expected.Values[i]));
        Check(Format(Strings.LessonCheckGradientDescent, result.Before.Values.Length, result.LearningRate, result.MaxDifference), result.MatchesGradientDescent);
    }

    public void TrainingStart(TrainingOptions options, int images) =>
        output.WriteLine(Format(Strings.LessonTrainingStart, options.Epochs, images, options.LearningRate, options.BatchSize));

    /// <summary>The lesson's per-epoch line, <c>print(f"Training loss: {running_loss/len(trainloader)}")</c>.</summary>
    public void Report(TrainingProgress progress)
    {
        if (progress is EpochCompleted e) output.WriteLine(Format(Strings.LessonTrainingLoss, e.AverageLoss));
    }

    public void Prediction(LessonTrainingResult result, ReadOnlySpan<byte> image, IReadOnlyList<string> classNames)
    {
        output.WriteLine();
        output.WriteLine(Format(Strings.LessonTestImage, result.ImageIndex, classNames[result.Label]));
        foreach (var line in TextPictures.Image(image.ToArray(), DatasetInfo.ImageSide)) output.WriteLine(line);
        var prediction = result.Prediction;
        foreach (var line in TextPictures.Chart(Strings.LessonClassProbability, classNames, prediction.Probabilities)) output.WriteLine(line);
        output.WriteLine(Format(Strings.LessonPrediction, classNames[prediction.PredictedClass], Percent(prediction.Confidence, decimals: 1)));
    }

    void Check(string what, bool passed) =>
        output.WriteLine(Format(Strings.LessonCheck, what, passed ? Strings.LessonCheckPassed : Strings.LessonCheckFailed));

    static string NoneOrNot(bool present) => present ? "not None" : "None";

    static string Python(bool value) => value ? "True" : "False";
}
