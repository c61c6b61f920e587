require "vacation";
vacation :subject "Absent" "Je suis absent.";
