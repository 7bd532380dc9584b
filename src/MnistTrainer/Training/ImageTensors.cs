using MnistTrainer.Data;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// A set of images as tensors: the pixels stay bytes ([N, 784], uint8, a quarter of the float size)
/// and are normalized batch by batch; labels are int64 as NLLLoss wants them.
/// </summary>
/// <remarks>
/// <see cref="Pixels"/> shares the memory of <see cref="LabeledImages.Pixels"/> instead of copying it
/// (the array stays pinned while the tensor lives), so a set is held once, not twice.
/// </remarks>
public sealed class ImageTensors : IDisposable
{
    public ImageTensors(LabeledImages images)
    {
        Count = images.Count;
        using (var flat = from_array(images.Pixels))
            Pixels = flat.view(Count, DatasetInfo.ImagePixels);
        using (var bytes = tensor(images.Labels, [Count]))
            Labels = bytes.to_type(ScalarType.Int64);
    }

    public int Count { get; }
    public Tensor Pixels { get; }
    public Tensor Labels { get; }

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}
