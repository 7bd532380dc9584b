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

    static readonly Lazy<SKTypeface> chosen = new(() => SystemOrEmbedded(SKTypeface.FromFamilyName(Family)));

    /// <summary>The typeface to draw with; shared, not to be disposed.</summary>
    public static SKTypeface Typeface => chosen.Value;

    /// <summary>The built-in copy of DejaVu Sans.</summary>
    public static SKTypeface Embedded { get; } = LoadEmbedded();

    /// <summary><paramref name="system"/> if it is really DejaVu Sans (a missing family gives some other font, or none), else <see cref="Embedded"/>.</summary>
    public static SKTypeface SystemOrEmbedded(SKTypeface? system) => system?.FamilyName == Family ? system : Embedded;

    static SKTypeface LoadEmbedded()
    {
        using var stream = typeof(TextFont).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"{EmbeddedName} is not built into the program");
        return SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException($"{EmbeddedName} is not a font SkiaSharp can read");
    }
}
