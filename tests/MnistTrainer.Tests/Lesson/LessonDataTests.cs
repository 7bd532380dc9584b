using MnistTrainer.Data;
using MnistTrainer.Lesson;

namespace MnistTrainer.Tests.Lesson;

public class LessonDataTests(MnistBatchFixture data) : IClassFixture<MnistBatchFixture>
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

    [Fact]
    public void The_batch_is_64_flattened_images_normalized_to_minus_one_to_one()
    {
        using var batch = data.Batch(seed: 1);
        Assert.Equal([64, 784], batch.Images.shape);
        Assert.Equal([64], batch.Labels.shape);
        Assert.Equal(-1f, batch.Images.min().item<float>());
        Assert.Equal(1f, batch.Images.max().item<float>());
    }

    [Fact]
    public void The_seed_chooses_the_batch_images()
    {
        using var first = data.Batch(seed: 1);
        using var again = data.Batch(seed: 1);
        using var other = data.Batch(seed: 2);
        Assert.Equal(Values(first.Images), Values(again.Images));
        Assert.NotEqual(Values(first.Images), Values(other.Images));
    }

    static float[] Values(TorchSharp.torch.Tensor tensor) => TensorValues.From(tensor).Values;
}
