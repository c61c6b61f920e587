if true { bogus; }
