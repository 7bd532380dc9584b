using SkiaSharp;

namespace MnistTrainer.Inference;

/// <summary>
/// The typeface every drawn text uses: DejaVu Sans (matplotlib's own font). The system's copy when it has
/// one; otherwise the copy built into the program (Resources/Fonts, with its licence), so a figure has its
/// text even on a system with no fonts installed.
/// </summary>
public static class TextFont
{
    public const string Family = "DejaVu Sans";
    const string EmbeddedName = "MnistTrainer.Resources.Fonts.DejaVuSans.ttf";

    // Embedded first: static initializers run in this order, and Typeface may be Embedded.
    public static SKTypeface Embedded { get; } = LoadEmbedded();

    /// <summary>The typeface to draw with; shared, not to be disposed.</summary>
    public static SKTypeface Typeface { get; } = SystemOrEmbedded(SKTypeface.FromFamilyName(Family));

    /// <summary><paramref name="system"/> if it is really DejaVu Sans (a missing family gives some other font, or none), else <see cref="Embedded"/>.</summary>
    public static SKTypeface SystemOrEmbedded(SKTypeface? system) => system?.FamilyName == Family ? system : Embedded;

    static SKTypeface LoadEmbedded()
    {
        // Built into this assembly by the project file, so it is there; ClassifyPlotTests draws with it.
        using var stream = typeof(TextFont).Assembly.GetManifestResourceStream(EmbeddedName)!;
        return SKTypeface.FromStream(stream);
    }
}
