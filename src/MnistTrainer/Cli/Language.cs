using System.Globalization;

namespace MnistTrainer.Cli;

/// <summary>
/// The language of a command's output. Words come from Resources/Strings.resx (English) and
/// Strings.pt.resx (Portuguese), chosen by the UI culture: the system's (LANG) unless <c>--lang</c> names one.
/// Numbers are always written the invariant way ("0.4327", "60,000", "84.12%"), whatever the language, so
/// scripts can read them in any culture: every number the command line prints goes through <see cref="Format"/>
/// or <see cref="Percent"/>.
/// </summary>
public static class Language
{
    /// <summary>
    /// Until disposed, resources come in <paramref name="language"/> (or the current UI culture when null)
    /// and the current culture is invariant, so any number formatted along the way is invariant too.
    /// </summary>
    public static IDisposable Use(string? language)
    {
        var scope = new Scope(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        if (language != null) CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return scope;
    }

    /// <summary>Fills a resource's placeholders, numbers formatted invariantly.</summary>
    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    /// <summary>A fraction as a percentage with <paramref name="decimals"/> decimals, "84.12%"; "-" for NaN (a class without images).</summary>
    public static string Percent(double fraction, int decimals = 2) => double.IsNaN(fraction)
        ? "-"
        : (fraction * 100).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture) + "%";

    sealed class Scope(CultureInfo culture, CultureInfo uiCulture) : IDisposable
    {
        public void Dispose()
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}
