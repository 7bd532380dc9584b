using MnistTrainer.Training;

namespace MnistTrainer.Tests.Training;

public class ValidationSplitTests
{
    [Fact]
    public void Holds_out_the_asked_number_chosen_by_the_seed_and_keeps_every_image_once()
    {
        var all = RealDatasets.Mnist.Slice(0, 2000);
        var (train, validation) = ValidationSplit.Split(all, 300, seed: 4);
        var again = ValidationSplit.Split(all, 300, seed: 4).Validation;
        var other = ValidationSplit.Split(all, 300, seed: 5).Validation;

        Assert.Equal(1700, train.Count);
        Assert.Equal(300, validation.Count);
        Assert.Equal(validation.Pixels, again.Pixels);
        Assert.NotEqual(validation.Pixels, other.Pixels);
        // Every image ends up in exactly one of the two sets (compared as whole images with their label).
        static IEnumerable<string> Images(MnistTrainer.Data.LabeledImages set) =>
            Enumerable.Range(0, set.Count).Select(i => set.Labels[i] + Convert.ToHexString(set.Image(i)));
        Assert.Equal(Images(all).Order(), Images(train).Concat(Images(validation)).Order());
    }
}
