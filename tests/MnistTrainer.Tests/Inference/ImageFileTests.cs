using MnistTrainer.Inference;
using SkiaSharp;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Inference;

public class ImageFileTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    /// <summary>A 40×30 gray ramp: every pixel different enough to catch a mix-up of rows or columns.</summary>
    static byte[] Ramp(int width, int height) =>
        Enumerable.Range(0, width * height).Select(i => (byte)((i % width) * 5 + (i / width) * 2)).ToArray();

    string Write(string name, byte[] bytes)
    {
        var path = folder[name];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    string Encode(string name, SKEncodedImageFormat format, byte[] gray, int width, int height)
    {
        using var bitmap = new GrayImage(width, height, gray).ToBitmap();
        using var rgba = new SKBitmap(width, height);
        bitmap.CopyTo(rgba, SKColorType.Rgba8888);
        var path = folder[name];
        ImageWriter.Save(path, rgba, format, quality: 100);
        return path;
    }

    [Theory]
    [InlineData("ramp.png", SKEncodedImageFormat.Png, 0)]
    [InlineData("ramp.jpg", SKEncodedImageFormat.Jpeg, 6)]
    [InlineData("ramp.webp", SKEncodedImageFormat.Webp, 6)]
    public void Reads_what_SkiaSharp_writes(string name, SKEncodedImageFormat format, int tolerance)
    {
        var ramp = Ramp(40, 30);
        var image = ImageFile.Read(Encode(name, format, ramp, 40, 30));
        Assert.Equal((40, 30), (image.Width, image.Height));
        Assert.All(Enumerable.Range(0, ramp.Length), i => Assert.InRange(image.Pixels[i] - ramp[i], -tolerance, tolerance));
    }

    [Fact]
    public void Reads_bmp()
    {
        var ramp = Ramp(41, 30); // odd width: rows are padded
        var image = ImageFile.Read(Write("ramp.bmp", ImageBytes.Bmp(41, 30, ramp)));
        Assert.Equal(ramp, image.Pixels);
    }

    [Fact]
    public void Reads_the_first_frame_of_a_gif()
    {
        var first = Ramp(40, 30);
        var second = first.Select(p => (byte)(255 - p)).ToArray();
        var image = ImageFile.Read(Write("two-frames.gif", ImageBytes.Gif(40, 30, first, second)));
        Assert.Equal(first, image.Pixels);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void Transparent_pixels_become_the_background_whatever_colour_they_store(byte hiddenColour)
    {
        // Dark ink on a transparent canvas: the transparent part must come out light, so the ink shows.
        using var bitmap = new SKBitmap(new SKImageInfo(20, 20, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(hiddenColour, hiddenColour, hiddenColour, 0));
        for (int x = 5; x < 15; x++) bitmap.SetPixel(x, 10, new SKColor(10, 10, 10, 255));
        var path = folder["transparent.png"];
        ImageWriter.Save(path, bitmap);

        var image = ImageFile.Read(path);
        Assert.True(image[0, 0] > 200, $"background is {image[0, 0]}");
        Assert.True(image[10, 10] < 20, $"ink is {image[10, 10]}");
    }

    [Fact]
    public void Refuses_a_file_that_is_not_an_image()
    {
        var path = Write("notes.png", "just some text, not a picture"u8.ToArray());
        var e = Assert.Throws<ImageFileException>(() => ImageFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an image", e.Message);
    }

    [Fact]
    public void Refuses_an_empty_file() =>
        Assert.Contains("empty", Assert.Throws<ImageFileException>(() => ImageFile.Read(Write("empty.png", []))).Message);

    [Fact]
    public void Refuses_a_truncated_png()
    {
        var whole = File.ReadAllBytes(Encode("whole.png", SKEncodedImageFormat.Png, Ramp(200, 100), 200, 100));
        var path = Write("cut.png", whole[..(whole.Length / 2)]);
        Assert.Contains("cut short", Assert.Throws<ImageFileException>(() => ImageFile.Read(path)).Message);
    }

    [Fact]
    public void Refuses_a_png_of_zero_by_zero_pixels()
    {
        // libpng refuses a zero size in the header, so SkiaSharp never reports the size itself.
        var path = Write("empty-image.png", ImageBytes.Png(0, 0, []));
        Assert.Equal($"{path}: image header is cut short or invalid", Assert.Throws<ImageFileException>(() => ImageFile.Read(path)).Message);
    }

    [Fact]
    public void Refuses_a_huge_image_from_its_header_without_decoding_it()
    {
        // 100,000×100,000 declared, one row of data: decoding would need 40 GB.
        var path = Write("huge.png", ImageBytes.Png(100_000, 100_000, [new byte[100_000]]));
        var e = Assert.Throws<ImageTooLargeException>(() => ImageFile.Read(path));
        Assert.Equal($"{path}: image is 100,000×100,000 pixels, more than the limit of 50 megapixels", e.Message);
    }

    [Fact]
    public void A_lower_pixel_limit_is_checked_from_the_header_too()
    {
        // serve's limit: 2000×2000 passes, one more column does not (and its one row of data is never decoded).
        var row = new byte[2001];
        var fits = ImageBytes.Png(2000, 2000, Enumerable.Repeat(row[..2000], 2000).ToArray());
        Assert.Equal(2000, ImageFile.Read(new MemoryStream(fits), "upload", maxPixels: 4_000_000).Width);
        var e = Assert.Throws<ImageTooLargeException>(() => ImageFile.Read(new MemoryStream(ImageBytes.Png(2001, 2000, [row])), "upload", maxPixels: 4_000_000));
        Assert.Equal("upload: image is 2,001×2,000 pixels, more than the limit of 4 megapixels", e.Message);
    }

    [Fact]
    public void Refuses_a_missing_file_and_a_folder()
    {
        Assert.Equal($"{folder["nothing.png"]}: image file not found", Assert.Throws<MissingFileException>(() => ImageFile.Read(folder["nothing.png"])).Message);
        Assert.Equal($"{folder.Path}: is a directory, not an image file", Assert.Throws<FileProblemException>(() => ImageFile.Read(folder.Path)).Message);
    }
}
