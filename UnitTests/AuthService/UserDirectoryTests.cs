using AspireResilience.AuthService;
using AspireResilience.AuthService.Users;

namespace AspireResilience.UnitTests.AuthService;

[TestClass]
public sealed class UserDirectoryTests
{
    private readonly UserDirectory _users = new(new TestOptionsMonitor<AuthOptions>(new AuthOptions
    {
        Users = new() { ["alice"] = "alice-password", ["disabled"] = "" },
    }));

    [TestMethod]
    public void ConfiguredPasswordIsAccepted() => Assert.IsTrue(_users.CheckPassword("alice", "alice-password"));

    [TestMethod]
    [DataRow("alice-passwor")]
    [DataRow("alice-password ")]
    [DataRow("ALICE-PASSWORD")]
    [DataRow("")]
    public void AnyOtherPasswordIsRejected(string password) => Assert.IsFalse(_users.CheckPassword("alice", password));

    [TestMethod]
    public void UnknownUserIsRejected() => Assert.IsFalse(_users.CheckPassword("mallory", "alice-password"));

    [TestMethod]
    public void UsernamesAreCaseSensitive() => Assert.IsFalse(_users.CheckPassword("Alice", "alice-password"));

    [TestMethod]
    public void UserWithAnEmptyConfiguredPasswordCannotLogIn() => Assert.IsFalse(_users.CheckPassword("disabled", ""));

    [TestMethod]
    public void PasswordComparisonHandlesNonAsciiAndDifferentLengths()
    {
        Assert.IsTrue(UserDirectory.PasswordsMatch("pässwörd-🔑", "pässwörd-🔑"));
        Assert.IsFalse(UserDirectory.PasswordsMatch("short", "a-much-longer-password"));
    }
}
