using MnistTrainer.Data;
using MnistTrainer.Lesson;

namespace MnistTrainer.Tests.Lesson;

public class LessonDatasetChoiceTests
{
    [Fact]
    public void Mnist_when_it_is_here()
    {
        var choice = LessonDatasetChoice.Choose(_ => true);
        Assert.Equal(DatasetInfo.Mnist, choice.Dataset);
        Assert.False(choice.MnistMissing);
    }

    [Fact]
    public void Fashion_mnist_when_only_it_is_here()
    {
        var choice = LessonDatasetChoice.Choose(d => d == DatasetInfo.FashionMnist);
        Assert.Equal(DatasetInfo.FashionMnist, choice.Dataset);
        Assert.True(choice.MnistMissing);
    }

    [Fact]
    public void Mnist_to_download_when_neither_is_here()
    {
        var choice = LessonDatasetChoice.Choose(_ => false);
        Assert.Equal(DatasetInfo.Mnist, choice.Dataset);
        Assert.True(choice.MnistMissing);
    }
}
