namespace MnistTrainer.Inference;

/// <summary>
/// An image whose header declares more pixels than the reader takes: refused before any pixel is decoded, so
/// a small file that declares a gigantic image costs nothing. <c>serve</c> answers it with 413, not 400.
/// </summary>
public sealed class ImageTooLargeException(string path, int width, int height, long maxPixels)
    : ImageFileException(path, $"image is {width:N0}×{height:N0} pixels, more than the limit of {maxPixels / 1_000_000} megapixels");
