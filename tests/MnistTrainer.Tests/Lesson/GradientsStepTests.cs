using MnistTrainer.Lesson;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Lesson;

public class GradientsStepTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
{
    [Fact]
    public void The_first_layer_has_no_gradient_before_backward_and_one_after()
    {
        using var batch = data.Batch(seed: 1);
        using var model = Trainer.NewNetwork(1);
        var result = GradientsStep.Run(model, batch);
        Assert.False(result.HadGradientBefore);
        Assert.Equal([128, 784], result.GradientAfter.Shape);
        Assert.Contains(result.GradientAfter.Values, g => g != 0);
        Assert.All(result.GradientAfter.Values, g => Assert.True(float.IsFinite(g)));
        Assert.NotNull(FirstLayer.Weight(model).grad);
    }
}
