using MnistTrainer.Lesson;

namespace MnistTrainer.Tests.Lesson;

public class AutogradStepTests
{
    readonly AutogradResult result = AutogradStep.Run(seed: 7);

    [Fact]
    public void X_grad_is_empty_before_backward_and_x_over_2_after()
    {
        Assert.False(result.XHadGradientBefore);
        Assert.Equal([2, 2], result.XGradient.Shape);
        for (int i = 0; i < 4; i++)
            Assert.Equal(result.X.Values[i] / 2, result.XGradient.Values[i], 1e-7);
        Assert.True(result.GradientEqualsXHalf);
    }

    [Fact]
    public void Y_and_z_are_x_squared_and_its_mean()
    {
        for (int i = 0; i < 4; i++)
            Assert.Equal(result.X.Values[i] * result.X.Values[i], result.Y.Values[i], 1e-6);
        Assert.Equal(result.Y.Values.Average(), result.Z, 1e-6);
    }

    [Fact]
    public void Y_was_made_by_a_recorded_operation()
    {
        Assert.True(result.YRequiresGrad);
        Assert.False(result.YIsLeaf);
    }

    [Fact]
    public void Requires_grad_is_false_under_no_grad() => Assert.False(result.RequiresGradUnderNoGrad);

    [Fact]
    public void The_seed_fixes_x()
    {
        Assert.Equal(result.X.Values, AutogradStep.Run(seed: 7).X.Values);
        Assert.NotEqual(result.X.Values, AutogradStep.Run(seed: 8).X.Values);
    }
}
