global using Aspire.Hosting.Testing;
global using AspireResilience.Contracts;
global using AspireResilience.E2ETests.Infrastructure;
global using AspireResilience.TestSupport;
global using AspireResilience.TestSupport.Auth;
global using AspireResilience.TestSupport.Hosting;
global using AspireResilience.TestSupport.Sessions;
global using AspireResilience.TestSupport.Wire;
