require "vacation";
vacation "Je suis absent.";
