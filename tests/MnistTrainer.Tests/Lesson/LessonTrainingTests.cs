using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Lesson;

public class LessonTrainingTests
{
    [Fact]
    public void Training_lowers_the_loss_and_gives_probabilities_for_the_image()
    {
        var train = RealDatasets.MnistTrainPart.Slice(0, 2000);
        var test = RealDatasets.MnistTestPart;
        var options = new TrainingOptions(Epochs: 2, LearningRate: 0.01, BatchSize: 64, Seed: 1);

        var result = LessonTraining.Run(train, test, imageIndex: 3, options);

        Assert.Equal(2, result.EpochLosses.Count);
        Assert.True(result.EpochLosses[1] < result.EpochLosses[0], $"loss went from {result.EpochLosses[0]} to {result.EpochLosses[1]}");
        Assert.InRange(result.EpochLosses[0], 1.0, Math.Log(10) + 0.1);
        Assert.Equal(3, result.ImageIndex);
        Assert.Equal(test.Labels[3], result.Label);
        var probabilities = result.Prediction.Probabilities;
        Assert.Equal(10, probabilities.Count);
        Assert.Equal(1.0, probabilities.Sum(), 1e-5);
        Assert.Equal(probabilities.Max(), result.Prediction.Confidence);
    }
}
