using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Lesson;

public class SgdStepTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
{
    [Fact]
    public void New_weights_are_old_minus_lr_times_gradient()
    {
        using var batch = data.Batch(seed: 2);
        using var model = Trainer.NewNetwork(2);
        var result = SgdStep.Run(model, batch, learningRate: 0.01);

        Assert.Equal(0.01, result.LearningRate);
        for (int i = 0; i < result.Before.Values.Length; i++)
            Assert.Equal(result.Before.Values[i] - 0.01 * result.Gradient.Values[i], result.After.Values[i], 1e-7);
        Assert.True(result.MatchesGradientDescent);
        Assert.InRange(result.MaxDifference, 0, 1e-7);
    }

    [Fact]
    public void The_step_moves_the_weights_and_leaves_them_in_the_model()
    {
        using var batch = data.Batch(seed: 3);
        using var model = Trainer.NewNetwork(3);
        var result = SgdStep.Run(model, batch, learningRate: 0.01);

        int moved = result.LargestGradients(1)[0];
        Assert.NotEqual(result.Before.Values[moved], result.After.Values[moved]);
        Assert.Equal(result.After.Values, TensorValues.From(FirstLayer.Weight(model)).Values);
    }

    [Fact]
    public void Largest_gradients_are_ordered_by_size()
    {
        var shape = new long[] { 1, 4 };
        var result = new SgdStepResult(new(shape, [0, 0, 0, 0]), new(shape, [0.1f, -0.5f, 0.3f, 0f]), new(shape, [0, 0, 0, 0]), 0.01);
        Assert.Equal([1, 2, 0], result.LargestGradients(3));
    }
}
