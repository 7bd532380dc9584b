using System.Collections;
using System.Globalization;
using System.Resources;
using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

public class LanguageTests
{
    static readonly ResourceManager Resources = new("MnistTrainer.Resources.Strings", typeof(App).Assembly);

    static Dictionary<string, string> Strings(string culture) =>
        Resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    [Fact]
    public void Every_English_string_has_a_Portuguese_translation_with_the_same_placeholders()
    {
        var english = Strings("");
        var portuguese = Strings("pt");
        Assert.NotEmpty(english);
        Assert.Equal(english.Keys.Order(), portuguese.Keys.Order());
        foreach (var (key, text) in english)
            Assert.True(Placeholders(text).SetEquals(Placeholders(portuguese[key])), $"{key}: placeholders differ");
    }

    [Fact]
    public void The_lessons_own_words_resolve_in_Portuguese()
    {
        using (Language.Use("pt"))
        {
            Assert.Equal("Perda de treinamento: {0}", Resources.GetString("LessonTrainingLoss"));
            Assert.Equal("Probabilidade de classe", Resources.GetString("LessonClassProbability"));
            Assert.StartsWith("Pesos iniciais", Resources.GetString("LessonInitialWeights"));
            Assert.StartsWith("Antes do passe inverso", Resources.GetString("LessonBeforeBackward"));
        }
    }

    [Fact]
    public void Brazilian_Portuguese_falls_back_to_Portuguese()
    {
        using (Language.Use("pt"))
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("pt-BR");
            Assert.StartsWith("Época", Resources.GetString("EpochLine"));
        }
    }

    [Fact]
    public void Use_restores_the_cultures_it_changed()
    {
        var culture = CultureInfo.CurrentCulture;
        var uiCulture = CultureInfo.CurrentUICulture;
        using (Language.Use("pt"))
        {
            Assert.Equal("pt", CultureInfo.CurrentUICulture.Name);
            Assert.Equal(CultureInfo.InvariantCulture, CultureInfo.CurrentCulture);
        }
        Assert.Equal(culture, CultureInfo.CurrentCulture);
        Assert.Equal(uiCulture, CultureInfo.CurrentUICulture);
    }

    [Fact]
    public void Percentages_are_written_one_way_in_every_language()
    {
        using (Language.Use("pt"))
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("pt-BR");
            Assert.Equal("84.12%", Language.Percent(0.8412));
            Assert.Equal("97.3%", Language.Percent(0.97271, decimals: 1));
            Assert.Equal("100.00%", Language.Percent(1));
            Assert.Equal("-", Language.Percent(double.NaN));
        }
    }

    static HashSet<string> Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+(:[^}]*)?\}").Select(m => m.Value).ToHashSet();
}
