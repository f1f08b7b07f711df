using EdgeLowRank.Runtime.Cli;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class SpellingSuggestionsTests
{
    private static readonly string[] Options = ["--batch", "--threads", "--run-threads", "--runs", "--duration", "--top", "--json", "-o", "--lr", "--log"];

    [Theory]
    [InlineData("--duraton", "--duration")]         // a letter left out
    [InlineData("--thread", "--threads")]           // not --run-threads, four edits away
    [InlineData("--DURATION", "--duration")]        // case is no edit
    [InlineData("--jsno", "--json")]                // two letters swapped: two edits, half the name, within the bound
    public void The_nearest_name_is_offered(string word, string nearest)
    {
        Assert.Equal([nearest], SpellingSuggestions.Nearest(word, Options));
    }

    [Theory]
    [InlineData("--foo")]       // two edits from --top, of whose three letters one would be left
    [InlineData("--fo")]        // two from --lr, --log and -o alike: a guess, not a correction
    [InlineData("--batches-per-second")]
    [InlineData("--batch")]     // a known name is not misspelt
    public void A_word_far_from_every_name_gets_none(string word)
    {
        Assert.Empty(SpellingSuggestions.Nearest(word, Options));
        Assert.Null(SpellingSuggestions.DidYouMean(word, Options));
    }

    [Fact]
    public void Names_equally_near_are_all_offered_in_their_order()
    {
        Assert.Equal("did you mean --ranks or --rank?", SpellingSuggestions.DidYouMean("--rankz", ["--ranks", "--rank", "--seed"]));
    }
}
